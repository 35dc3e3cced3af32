package org.acme.fargate.sidecar;

import io.quarkus.vertx.http.runtime.HeaderConfig;
import io.quarkus.vertx.http.runtime.VertxHttpConfig;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The response headers of application.properties ({@code quarkus.http.header."<name>".value}, with their optional
 * {@code path} and {@code methods}) on every {@code /api} answer, as Quarkus's router puts them on the page's.
 *
 * <p>Written here because Quarkus's own version registers one route per header, and on the proxy's path each route
 * is a match and a hand-over per request, where one handler that sets them all is one (docs/sidecar-proxy.md, "Speed").
 */
final class ResponseHeaders implements Handler<RoutingContext> {

    /** One configured header; a {@code path} ending in {@code *} is a prefix, as in a Vert.x route. */
    private record Header(String name, String value, String path, boolean prefix, Set<HttpMethod> methods) {

        static Header of(String name, HeaderConfig config) {
            String path = config.path();
            boolean prefix = path.endsWith("*");
            Set<HttpMethod> methods = config.methods().orElse(List.of()).stream()
                    .map(method -> HttpMethod.valueOf(method.toUpperCase(Locale.ROOT)))
                    .collect(Collectors.toUnmodifiableSet());
            return new Header(name, config.value(), prefix ? path.substring(0, path.length() - 1) : path, prefix, methods);
        }

        boolean appliesTo(String requestPath, HttpMethod method) {
            return (prefix ? requestPath.startsWith(path) : requestPath.equals(path))
                    && (methods.isEmpty() || methods.contains(method));
        }
    }

    private final Header[] headers;

    ResponseHeaders(VertxHttpConfig http) {
        this.headers = http.header().entrySet().stream()
                .map(entry -> Header.of(entry.getKey(), entry.getValue()))
                .toArray(Header[]::new);
    }

    @Override
    public void handle(RoutingContext rc) {
        String path = rc.request().path();
        HttpMethod method = rc.request().method();
        MultiMap response = rc.response().headers();
        for (Header header : headers) {
            if (header.appliesTo(path, method)) {
                response.set(header.name(), header.value());
            }
        }
        rc.next();
    }
}
