package org.acme.fargate.problem;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
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
            if (BodyLimit.isOver(rc.request().getHeader(HttpHeaders.CONTENT_LENGTH), limit)) {
                // Closed once answered: the unread body would otherwise be parsed as the next request.
                ProblemWriter.refuseAndClose(rc.request(),
                        Problem.of(413, "The body may be at most " + limit + " bytes.").withInstance(rc.request().path()));
                return;
            }
            rc.next();
        });
    }
}
