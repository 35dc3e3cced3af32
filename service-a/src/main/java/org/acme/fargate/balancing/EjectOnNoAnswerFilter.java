package org.acme.fargate.balancing;

import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientResponseContext;
import jakarta.ws.rs.client.ClientResponseFilter;

/**
 * Tells {@link Ejections} about calls that got no answer. The REST client runs response filters
 * also for a call that failed before any response, with the request URI already rewritten by Stork to
 * the picked instance; Stork's own call statistics are not told about such failures, so this is where
 * they are seen.
 */
public class EjectOnNoAnswerFilter implements ClientResponseFilter {

    private final Ejections ejections;

    public EjectOnNoAnswerFilter(Ejections ejections) {
        this.ejections = ejections;
    }

    /**
     * Whether the call got an HTTP answer. No status line means none: a refused connection comes with
     * status 0, a connection closed before the response with no headers at all.
     */
    public static boolean answered(ClientResponseContext response) {
        return response.getHeaders() != null && response.getStatus() >= 100;
    }

    @Override
    public void filter(ClientRequestContext request, ClientResponseContext response) {
        boolean pickedAnInstance = request.getUri().getScheme().startsWith("http") && request.getUri().getPort() > 0;
        if (!answered(response) && pickedAnInstance) {
            ejections.eject(request.getUri().getAuthority());
        }
    }
}
