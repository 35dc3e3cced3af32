package org.acme.fargate.sidecar;

import io.quarkus.vertx.http.runtime.filters.Filter;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * The sidecar's request pipeline, in the order a request meets it. Everything the sidecar does to a request is
 * registered here; each step is a handler in a class of its own. {@link PublicServer} hands every request to
 * {@link #dispatch}, after {@link ConnectionGuard} (HTTP/1.1 only, the head's deadline, what the codec refuses).
 *
 * <p>Two routers, because the one that serves the API must be lean: {@code /api/*} goes to a Vert.x router of its
 * own, with the demo layers' filters, the refusals and the proxy and nothing else; everything else goes to Quarkus's
 * router (the page, {@code /q/health}, and a 404 problem): trial runs put most of the first design's distance to
 * nginx in Quarkus's router, with the routes every extension adds (docs/sidecar-proxy.md, "Speed").
 *
 * <p>This class and the steps are {@code @Singleton} beans, so no client proxy sits between Vert.x and a handler
 * that runs on every request.
 */
@Singleton
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
    private final Router apiRoutes;
    private Router pageRoutes;

    SidecarRoutes(FailedRequestProblem failedRequests, RequestRefusals refusals, ApiProxy apiProxy,
            UnknownPathProblem unknownPath, Vertx vertx, PublicPortSettings settings, Event<Filters> layers) {
        this.failedRequests = failedRequests;
        this.refusals = refusals;
        this.apiProxy = apiProxy;
        this.unknownPath = unknownPath;
        this.apiRoutes = apiRoutes(Router.router(vertx), settings, layers);
    }

    /** Every request on the public port: the API's router for {@code /api/*}, Quarkus's for the rest. */
    void dispatch(HttpServerRequest request) {
        String path = request.path();
        (path != null && path.startsWith("/api/") ? apiRoutes : pageRoutes).handle(request);
    }

    /** Quarkus's router: the page (META-INF/resources) and /q/health are its own routes. */
    void pageRoutes(@Observes Router router) {
        // 0. Failures: a 4xx Vert.x Web raises itself (an unsatisfiable range, a missing Host) becomes a
        //    problem document. First, so that it sees failures from every route below.
        router.route().order(Integer.MIN_VALUE).failureHandler(failedRequests);
        // 1. What a public server must never act on (CONNECT, foreign targets, unsafe paths, oversized bodies):
        //    refused before anything else reads the request.
        router.route().order(BEFORE_QUARKUS_BODY_LIMIT).handler(refusals);
        // 2. Quarkus's own routes come next: the page and /q/health.
        // 3. Whatever no route answered: a 404 problem instead of Vert.x's plain text.
        router.route().last().handler(unknownPath);
        pageRoutes = router;
    }

    private Router apiRoutes(Router router, PublicPortSettings settings, Event<Filters> layers) {
        router.route().order(Integer.MIN_VALUE).failureHandler(failedRequests);
        // What Quarkus puts on its router, here too: the response headers of application.properties, and the demo
        // layers' filters (the path trace, tracing), which register on a Filters event.
        router.route().order(Integer.MIN_VALUE).handler(new ResponseHeaders(settings));
        Filters filters = new Filters();
        layers.fire(filters);
        for (Filter filter : filters.getFilters()) {
            // Quarkus's ordering: a higher priority runs first.
            router.route().order(-filter.getPriority()).handler(filter.getHandler());
        }
        // One route for both, matched once: every path here begins with /api/ (dispatch), and a path that would
        // normalize to something else is one the refusals refuse.
        router.route().handler(refusals).handler(apiProxy);
        return router;
    }
}
