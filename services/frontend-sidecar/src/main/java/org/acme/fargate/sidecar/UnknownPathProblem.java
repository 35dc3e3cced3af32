package org.acme.fargate.sidecar;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import org.acme.fargate.problem.Problem;
import org.acme.fargate.problem.ProblemWriter;

/** What no route, static file or health endpoint answered: a 404 problem instead of Vert.x's plain text. */
@Singleton
public class UnknownPathProblem implements Handler<RoutingContext> {

    static final String DETAIL = "Nothing here. The page is at /, the API under /api/, health under /q/health.";

    @Override
    public void handle(RoutingContext rc) {
        ProblemWriter.send(rc.response(), Problem.of(404, DETAIL).withInstance(rc.request().path()));
    }
}
