package org.acme.fargate.sidecar;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.regex.Pattern;
import org.acme.fargate.path.PathHeaders;
import org.acme.fargate.path.RequestTracking;
import org.jboss.logging.MDC;

/**
 * The headers a reverse proxy owes its backend: who the client is ({@code X-Forwarded-*}), a request id
 * for following the request through every log, and the sidecar's own hop for the path trace.
 * {@code traceparent} and other end-to-end headers pass through untouched.
 */
final class ForwardedHeaders implements ProxyInterceptor {

    /** A client's id is kept only if it is short and plain, so it cannot forge or break log lines. */
    private static final Pattern PLAIN_ID = Pattern.compile("[A-Za-z0-9._:;=/+-]{1,200}");

    private final String hopJson;

    ForwardedHeaders(String hopJson) {
        this.hopJson = hopJson;
    }

    @Override
    public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
        MultiMap headers = context.request().headers();
        HttpServerRequest client = context.request().proxiedRequest();

        // The ALB already appended the client's address; append the peer we saw (the ALB's).
        String peer = client.remoteAddress() == null ? "unknown" : client.remoteAddress().hostAddress();
        String forwardedFor = headers.get("X-Forwarded-For");
        headers.set("X-Forwarded-For", forwardedFor == null ? peer : forwardedFor + ", " + peer);
        if (!headers.contains("X-Forwarded-Proto")) {
            headers.set("X-Forwarded-Proto", client.scheme());
        }
        if (!headers.contains("X-Forwarded-Host") && client.authority() != null) {
            headers.set("X-Forwarded-Host", client.authority().toString());
        }

        String requestId = headers.get(PathHeaders.REQUEST_ID);
        if (requestId == null || !PLAIN_ID.matcher(requestId).matches()) {
            requestId = UUID.randomUUID().toString();
            headers.set(PathHeaders.REQUEST_ID, requestId);
        }
        context.set(PathHeaders.REQUEST_ID, requestId);
        MDC.put(RequestTracking.MDC_KEY, requestId);

        // Set, never appended: a client must not be able to forge the sidecar's hop.
        headers.set(PathHeaders.SIDECAR_HOP, hopJson);
        headers.set(PathHeaders.REQUEST_START, "t=" + ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now()));
        return context.sendRequest();
    }

    @Override
    public Future<Void> handleProxyResponse(ProxyContext context) {
        context.response().putHeader(PathHeaders.REQUEST_ID, context.get(PathHeaders.REQUEST_ID, String.class));
        return context.sendResponse();
    }
}
