package org.acme.fargate.sidecar;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** What no route, static file or health endpoint answered: a 404 problem instead of Vert.x's plain text. */
@ApplicationScoped
public class UnknownPathProblem {

    static final String DETAIL = "Nothing here. The page is at /, the API under /api/, health under /q/health.";

    void register(@Observes Router router) {
        router.route().last().handler(rc -> ProblemResponse.send(rc.response(), 404, DETAIL, rc.request().path()));
    }
}
