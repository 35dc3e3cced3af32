package org.acme.fargate.path;

/**
 * The headers of the path trace, named in one place for both ends: the sidecar writes them, service-a reads
 * them. The sidecar strips them from client requests, so they cannot be forged from outside the task.
 */
public final class PathHeaders {

    /** One id per request, assigned by the sidecar, in every hop's log lines. */
    public static final String REQUEST_ID = "X-Request-Id";
    /** The sidecar's hop, as JSON. */
    public static final String SIDECAR_HOP = "X-Sidecar-Hop";
    /** When the sidecar received the request: {@code t=<epoch microseconds>}. */
    public static final String REQUEST_START = "X-Request-Start";

    private PathHeaders() {
    }
}
