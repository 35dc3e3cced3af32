package org.acme.fargate.problem;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Answers a body declared larger than {@code quarkus.http.limits.max-body-size} with a 413 problem
 * document. Quarkus enforces the same limit itself but ends the response with an empty body; this
 * route runs just before it (order -3; Quarkus uses -2) so that clients get a readable error.
 */
@ApplicationScoped
public class BodySizeLimit {

    private static final int BEFORE_QUARKUS_UPLOAD_LIMIT = -3;

    void register(@Observes Router router,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize) {
        long limit = maxBodySize.asLongValue();
        router.route().order(BEFORE_QUARKUS_UPLOAD_LIMIT).handler(rc -> {
            String declared = rc.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (declared != null && isOver(declared, limit)) {
                Problem problem = Problem.of(Response.Status.REQUEST_ENTITY_TOO_LARGE,
                        "The body may be at most " + limit + " bytes.").withInstance(rc.request().path());
                // Close: the unread body would otherwise be parsed as the next request on this connection.
                rc.response().setStatusCode(413)
                        .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                        .putHeader(HttpHeaders.CONNECTION, "close")
                        .end(Json.encode(problem));
                return;
            }
            rc.next();
        });
    }

    private static boolean isOver(String declaredLength, long limit) {
        try {
            return Long.parseLong(declaredLength.trim()) > limit;
        } catch (NumberFormatException e) {
            return false; // Vert.x's codec has already rejected a malformed Content-Length with a 400.
        }
    }
}
