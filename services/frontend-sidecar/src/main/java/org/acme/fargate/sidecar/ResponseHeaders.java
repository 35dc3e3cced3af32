package org.acme.fargate.sidecar;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * The response headers of application.properties ({@code quarkus.http.header."<name>".value}, with their optional
 * {@code path} and {@code methods}; {@link PublicPortSettings} reads them) on every {@code /api} answer, as Quarkus's
 * router puts them on the page's. ApiProxyTest holds the two to the same answer.
 *
 * <p>Written here because Quarkus's own version registers one route per header, and on the proxy's path each route
 * is a match and a hand-over per request, where one handler that sets them all is one (docs/sidecar-proxy.md, "Speed").
 */
final class ResponseHeaders implements Handler<RoutingContext> {

    private final PublicPortSettings.Header[] headers;

    ResponseHeaders(PublicPortSettings settings) {
        this.headers = settings.headers().toArray(PublicPortSettings.Header[]::new);
    }

    @Override
    public void handle(RoutingContext rc) {
        String path = rc.request().path();
        HttpMethod method = rc.request().method();
        MultiMap response = rc.response().headers();
        for (PublicPortSettings.Header header : headers) {
            if (header.appliesTo(path, method)) {
                response.set(header.name(), header.value());
            }
        }
        rc.next();
    }
}
