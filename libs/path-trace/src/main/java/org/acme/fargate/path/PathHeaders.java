package org.acme.fargate.path;

/**
 * The two headers of the path trace, named here and nowhere else. Every service that depends on this
 * library reads and writes them through {@link PathTraceServerFilter} and {@link DownstreamPathFilter}.
 */
public final class PathHeaders {

    /**
     * One id per request, in every hop's log lines. The first hop keeps a plain id a client sent (the ALB
     * does not set one) or makes one; later hops receive it on the request.
     */
    public static final String REQUEST_ID = "X-Request-Id";

    /**
     * On every response: the hops that served the request, as a JSON array of {@link Hop}s, this service's
     * first, then the hops of the call it made (service-a adds service-b's; the sidecar adds service-a's).
     */
    public static final String PATH = "X-Path";

    private PathHeaders() {
    }
}
