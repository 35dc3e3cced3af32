package org.acme.fargate.path;

import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.client.ClientResponseContext;
import jakarta.ws.rs.client.ClientResponseFilter;
import jakarta.ws.rs.ext.Provider;

/**
 * The client end of the path trace, registered with every Quarkus REST client by {@code @Provider}: sends
 * the request id on, and notes who answered and the path the answer carried.
 *
 * <p>The instance is read off the request URI, where the load balancer put it: Stork rewrites
 * {@code stork://service-b} into the picked instance's address before the call leaves, so this is what
 * service-a chose, which is not always what service-b says about itself (behind ECS Service Connect it is
 * the proxy's address).
 */
@Provider
public class DownstreamPathFilter implements ClientRequestFilter, ClientResponseFilter {

    @Override
    public void filter(ClientRequestContext request) {
        RequestPath.current().ifPresent(path -> request.getHeaders().putSingle(PathHeaders.REQUEST_ID, path.requestId()));
    }

    @Override
    public void filter(ClientRequestContext request, ClientResponseContext response) {
        // The REST client runs response filters also for a call that got no answer at all (a refused
        // connection: no headers, status 0): no one answered, so there is nothing to note.
        if (response.getHeaders() == null || response.getStatus() < 100) {
            return;
        }
        RequestPath.current().ifPresent(path -> path.answeredBy(request.getUri().getAuthority(),
                PathJson.read(response.getHeaderString(PathHeaders.PATH))));
    }
}
