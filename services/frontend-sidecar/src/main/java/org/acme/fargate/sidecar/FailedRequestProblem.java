package org.acme.fargate.sidecar;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import org.acme.fargate.problem.Problem;
import org.acme.fargate.problem.ProblemWriter;

/**
 * Requests that Vert.x Web itself fails with a 4xx before any of our handlers answer (a range a static
 * file cannot satisfy, a request target it cannot route): a problem document instead of Quarkus's
 * generic error body. Other failures go on to Quarkus's handler, which logs them.
 */
@Singleton
public class FailedRequestProblem implements Handler<RoutingContext> {

    @Override
    public void handle(RoutingContext rc) {
        int status = rc.statusCode();
        if (status < 400 || status > 499) {
            rc.next();
            return;
        }
        String detail = status == 400 && rc.request().host() == null
                ? "HTTP/1.1 requests must carry a Host header." : detailOf(status);
        ProblemWriter.refuseAndClose(rc.request(), Problem.of(status, detail).withInstance(rc.request().path()));
    }

    private static String detailOf(int status) {
        return switch (status) {
            case 416 -> "The requested range is outside the file.";
            case 404 -> UnknownPathProblem.DETAIL;
            default -> "The request could not be understood; check its target and headers.";
        };
    }
}
