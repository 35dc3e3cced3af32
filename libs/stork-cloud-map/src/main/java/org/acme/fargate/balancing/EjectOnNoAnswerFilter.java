package org.acme.fargate.balancing;

import io.smallrye.stork.Stork;
import io.smallrye.stork.api.Service;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientResponseContext;
import jakarta.ws.rs.client.ClientResponseFilter;

/**
 * Tells the balancer of the service a call went to about calls that got no answer: register it on any REST client
 * whose service uses {@code ejecting-round-robin}. The REST client runs response filters also for a call that failed
 * before any response, with the request URI already rewritten by Stork to the picked instance; Stork's own call
 * statistics are not told about such failures, so this is where they are seen. The filter knows no service: the
 * instance is ejected by the balancer that listed it at its last selection (Stork's registry of services).
 */
public class EjectOnNoAnswerFilter implements ClientResponseFilter {

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
            String address = request.getUri().getAuthority();
            for (Service service : Stork.getInstance().getServices().values()) {
                if (service.getLoadBalancer() instanceof EjectingRoundRobinLoadBalancer balancer && balancer.lists(address)) {
                    balancer.eject(address);
                }
            }
        }
    }
}
