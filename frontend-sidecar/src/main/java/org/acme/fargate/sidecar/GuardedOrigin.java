package org.acme.fargate.sidecar;

import io.quarkus.logging.Log;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.httpproxy.OriginRequestProvider;
import io.vertx.httpproxy.ProxyContext;

/**
 * Opens the request to the backend, and refuses to start it for a client that has already gone.
 *
 * <p>Why this exists (docs/sidecar-proxy.md): while a request waits for a pooled
 * backend connection the proxy keeps it paused. If the client disconnects meanwhile, Quarkus's
 * request wrapper (present because a body-size limit is set) resumes the paused request and reads it
 * to its end before the proxy attaches. The proxy would then wait for an end that already happened;
 * the backend request would never finish and its pooled connection never come back. After
 * pool-size such leaks every {@code /api} call would queue forever while health checks stay green.
 * So when a connection is finally handed out, check the client first; if it has gone, reset the
 * backend request, which returns the connection to the pool, and fail this proxying.
 * No library offers this check (vertx-http-proxy #117 and #124 are the closest reports).
 */
final class GuardedOrigin implements OriginRequestProvider {

    /** Raised when the client left before the backend connection was handed out; nobody is waiting for an answer. */
    static final class ClientGone extends RuntimeException {
        ClientGone() {
            super("client disconnected before the backend connection was ready", null, false, false);
        }
    }

    private final SocketAddress backend;
    private final long responseTimeoutMillis;

    GuardedOrigin(SocketAddress backend, long responseTimeoutMillis) {
        this.backend = backend;
        this.responseTimeoutMillis = responseTimeoutMillis;
    }

    @Override
    public Future<HttpClientRequest> create(ProxyContext context) {
        HttpServerRequest inbound = context.request().proxiedRequest();
        RequestOptions options = new RequestOptions().setServer(backend).setIdleTimeout(responseTimeoutMillis);
        return context.client().request(options).compose(outbound -> {
            // Without a handler, a backend request reset because its client left is logged at ERROR.
            outbound.exceptionHandler(failure -> Log.debugf("Backend request ended early: %s", failure));
            if (clientGone(inbound)) {
                outbound.reset();
                return Future.failedFuture(new ClientGone());
            }
            return Future.succeededFuture(outbound);
        });
    }

    private static boolean clientGone(HttpServerRequest inbound) {
        return inbound.response().closed() || inbound.response().ended();
    }
}
