package org.acme.fargate.sidecar;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The sidecar's request pipeline, in the order a request meets it. Everything the sidecar does to a request
 * is registered here; each step is a handler in a class of its own.
 *
 * <p>The steps are {@code @Singleton} beans, so no client proxy sits between Vert.x and a handler that runs on
 * every request. Before any route: Quarkus's filters (the security headers of application.properties, the path trace's
 * request id) and Vert.x's HTTP codec, which answers what it cannot parse itself.
 */
@ApplicationScoped
public class SidecarRoutes {

    /**
     * Quarkus's own body-size check runs at order -2 and ends the response with no body: the refusals come
     * just before it, to answer the same limit as a problem document.
     */
    static final int BEFORE_QUARKUS_BODY_LIMIT = -3;

    private final FailedRequestProblem failedRequests;
    private final RequestRefusals refusals;
    private final ApiProxy apiProxy;
    private final UnknownPathProblem unknownPath;

    SidecarRoutes(FailedRequestProblem failedRequests, RequestRefusals refusals, ApiProxy apiProxy,
            UnknownPathProblem unknownPath) {
        this.failedRequests = failedRequests;
        this.refusals = refusals;
        this.apiProxy = apiProxy;
        this.unknownPath = unknownPath;
    }

    void build(@Observes Router router) {
        // 0. Failures: a 4xx Vert.x Web raises itself (an unsatisfiable range, a missing Host) becomes a
        //    problem document. First, so that it sees failures from every route below.
        router.route().order(Integer.MIN_VALUE).failureHandler(failedRequests);
        // 1. What a public proxy must never act on (CONNECT, foreign targets, unsafe paths, oversized bodies):
        //    refused before anything else reads the request.
        router.route().order(BEFORE_QUARKUS_BODY_LIMIT).handler(refusals);
        // 2. /api/* and nothing else goes to service-a.
        router.route("/api/*").handler(apiProxy);
        // 3. Quarkus's own routes come next: the page (META-INF/resources) and /q/health.
        // 4. Whatever no route answered: a 404 problem instead of Vert.x's plain text.
        router.route().last().handler(unknownPath);
    }
}
