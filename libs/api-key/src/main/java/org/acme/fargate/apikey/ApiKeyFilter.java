package org.acme.fargate.apikey;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.acme.fargate.problem.Problem;
import org.acme.fargate.problem.ProblemExceptionMappers;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every request to the service's REST API carries the service's key in {@value #HEADER}, or is refused with a 401
 * problem before any resource is matched (so a caller without the key learns nothing of which paths exist). The
 * health checks and the OpenAPI document are Quarkus's own routes, not JAX-RS resources: ECS, the load balancer
 * and the tests reach them without a key.
 *
 * <p>Written by hand: Quarkus's security mechanisms authenticate users (basic, form, OIDC, mutual TLS) and none
 * checks one shared key; this is the whole of it. The key is {@code api-key} (environment {@code API_KEY}): on ECS
 * the secret the service's stack generates, which ECS puts in the container's environment at start
 * (backend-service.yaml), and no default, so that a service started without it fails at once instead of
 * answering everyone.
 */
public class ApiKeyFilter {

    public static final String HEADER = "X-Api-Key";

    private final byte[] expected;

    ApiKeyFilter(@ConfigProperty(name = "api-key") String key) {
        this.expected = key.getBytes(StandardCharsets.UTF_8);
    }

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> requireKey(ContainerRequestContext request) {
        String sent = request.getHeaderString(HEADER);
        // Constant-time: how long the comparison takes says nothing about how much of a guess was right.
        if (sent != null && MessageDigest.isEqual(expected, sent.getBytes(StandardCharsets.UTF_8))) {
            return Optional.empty();
        }
        Problem problem = Problem.of(401, sent == null
                ? "Send this service's API key in the " + HEADER + " header."
                : "The key in " + HEADER + " is not this service's API key.")
                .withInstance(request.getUriInfo().getPath());
        return Optional.of(Response.fromResponse(ProblemExceptionMappers.response(problem))
                // RFC 9110 §11.6.1: a 401 names the scheme that would be accepted.
                .header(HttpHeaders.WWW_AUTHENTICATE, "ApiKey header=\"" + HEADER + "\"").build());
    }
}
