package org.acme.fargate.storefront;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientResponseContext;
import jakarta.ws.rs.client.ClientResponseFilter;
import org.acme.fargate.balancing.EjectOnNoAnswerFilter;

/**
 * Notes, for the path trace, which service-b instance answered: Stork has rewritten {@code stork://service-b}
 * into the picked instance's address by the time the response arrives, so the request URI names it. (Demo
 * plumbing: it hands the address to {@link StorefrontResource} in a response header of its own.)
 */
@Priority(Priorities.USER)
public class PickedInstanceFilter implements ClientResponseFilter {

    public static final String PICKED_INSTANCE_HEADER = "X-Picked-Instance";

    @Override
    public void filter(ClientRequestContext request, ClientResponseContext response) {
        // The REST client runs response filters also for a call that got no response at all (no instance
        // to pick, a refused connection): there is nothing to note then, and the failure must go on as is.
        if (EjectOnNoAnswerFilter.answered(response)) {
            response.getHeaders().putSingle(PICKED_INSTANCE_HEADER, request.getUri().getAuthority());
        }
    }
}
