package org.acme.fargate.storefront;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import org.eclipse.microprofile.rest.client.ext.ResponseExceptionMapper;

/**
 * What service-a makes of service-b's error answers; {@link PricingProblems} then says them to the page.
 *
 * <ul>
 *   <li>A 4xx is the caller's mistake: {@link PricingRejected}, never retried, relayed as is.</li>
 *   <li>A 5xx (an instance shutting down, overloaded) is {@link PricingFailed}: retried elsewhere.</li>
 *   <li>A 401 is not the caller's mistake but service-a's: its key for service-b (SERVICE_B_API_KEY) is not the one
 *       service-b holds. {@link PricingFailed} too, so that the page gets a 503 and the log says why, never a 401
 *       that would ask the browser for credentials it cannot have.</li>
 * </ul>
 */
public class PricingErrors implements ResponseExceptionMapper<RuntimeException> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public RuntimeException toThrowable(Response response) {
        int status = response.getStatus();
        if (status >= 500) {
            return new PricingFailed("service-b answered " + status);
        }
        if (status == 401) {
            return new PricingFailed("service-b refused service-a's key (401): SERVICE_B_API_KEY is not service-b's API_KEY");
        }
        return new PricingRejected(status, detailOf(response));
    }

    @Override
    public boolean handles(int status, MultivaluedMap<String, Object> headers) {
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
