package org.acme.fargate.storefront;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientResponseContext;
import jakarta.ws.rs.client.ClientResponseFilter;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import org.acme.fargate.balancing.UnansweredCallFilter;
import org.eclipse.microprofile.rest.client.ext.ResponseExceptionMapper;

/**
 * What service-a makes of service-b's answers.
 *
 * <ul>
 *   <li>It notes which instance answered: Stork has rewritten {@code stork://service-b} into the
 *       picked instance's address by the time the response arrives, so the request URI names it.</li>
 *   <li>A 4xx is the caller's mistake: {@link PricingRejected}, never retried, relayed as is.</li>
 *   <li>A 5xx (an instance shutting down, overloaded) is {@link PricingFailed}: retried elsewhere.</li>
 * </ul>
 */
@Priority(Priorities.USER)
public class PricingResponses implements ResponseExceptionMapper<RuntimeException>, ClientResponseFilter {

    public static final String PICKED_INSTANCE_HEADER = "X-Picked-Instance";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void filter(ClientRequestContext request, ClientResponseContext response) {
        // The REST client runs response filters also for a call that got no response at all (no instance
        // to pick, a refused connection): there is nothing to note then, and the failure must go on as is.
        if (UnansweredCallFilter.answered(response)) {
            response.getHeaders().putSingle(PICKED_INSTANCE_HEADER, request.getUri().getAuthority());
        }
    }

    @Override
    public RuntimeException toThrowable(Response response) {
        int status = response.getStatus();
        if (status >= 500) {
            return new PricingFailed("service-b answered " + status);
        }
        return new PricingRejected(status, detailOf(response));
    }

    @Override
    public boolean handles(int status, jakarta.ws.rs.core.MultivaluedMap<String, Object> headers) {
        return status >= 400;
    }

    private static String detailOf(Response response) {
        try (InputStream body = response.readEntity(InputStream.class)) {
            JsonNode problem = JSON.readTree(body);
            return problem != null && problem.hasNonNull("detail") ? problem.get("detail").asText()
                    : "service-b rejected the request.";
        } catch (IOException | RuntimeException e) {
            return "service-b rejected the request.";
        }
    }
}
