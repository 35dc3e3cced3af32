package org.acme.fargate.sidecar;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.httpproxy.HttpProxy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.acme.fargate.path.TaskIdentity;

/**
 * Reverse-proxies {@code /api/*}, and nothing else, to service-a over the task's shared localhost.
 * The pool is sized for the clients one task serves and its wait queue is bounded (see
 * {@link SidecarConfig}); {@link GuardedOrigin} keeps disconnecting clients from leaking connections.
 */
@ApplicationScoped
public class ApiProxy {

    private final SidecarConfig config;
    private final String hopJson;

    ApiProxy(SidecarConfig config, TaskIdentity identity, ObjectMapper json) throws JsonProcessingException {
        this.config = config;
        this.hopJson = json.writeValueAsString(identity.hopSince(System.nanoTime()).withElapsedMs(null));
    }

    void register(@Observes Router router, Vertx vertx) {
        SidecarConfig.Backend backend = config.backend();
        HttpClientOptions clientOptions = new HttpClientOptions()
                .setConnectTimeout((int) backend.connectTimeout().toMillis())
                .setKeepAlive(true)
                .setKeepAliveTimeout((int) backend.keepAliveTimeout().toSeconds());
        // The pool size is set on PoolOptions: HttpClientOptions' own maxPoolSize is ignored by
        // createHttpClient(options, poolOptions), and a default pool holds only 5 connections.
        PoolOptions poolOptions = new PoolOptions()
                .setHttp1MaxSize(backend.poolSize())
                .setMaxWaitQueueSize(backend.waitQueueSize());
        HttpClient client = vertx.createHttpClient(clientOptions, poolOptions);

        HttpProxy proxy = HttpProxy.reverseProxy(client)
                .origin(new GuardedOrigin(SocketAddress.inetSocketAddress(backend.port(), backend.host()),
                        backend.responseTimeout().toMillis()))
                .addInterceptor(new BackendProblems())
                .addInterceptor(new ForwardedHeaders(hopJson));

        router.route("/api/*").handler(rc -> {
            if (isStreamedBody(rc.request().headers())) {
                // A streamed body cannot be held to the size limit before it reaches service-a; the
                // API's bodies are small JSON documents that browsers and SDKs send with a length.
                ProblemResponse.refuseAndClose(rc.request(), 411,
                        "Send the body with a Content-Length header (chunked bodies are not accepted).",
                        rc.request().path());
                return;
            }
            if (declaresBody(rc.request().headers())) {
                long bodyDeadline = vertx.setTimer(config.bodyTimeout().toMillis(), id -> refuseUnfinishedBody(rc));
                rc.addEndHandler(done -> vertx.cancelTimer(bodyDeadline));
            }
            proxy.handle(rc.request());
        });
    }

    /** Closing the client connection also aborts the request already under way to service-a. */
    private static void refuseUnfinishedBody(RoutingContext rc) {
        if (!rc.request().isEnded() && !rc.response().headWritten()) {
            ProblemResponse.refuseAndClose(rc.request(), 408,
                    "The request body did not arrive in time; send it at once.", rc.request().path());
        }
    }

    /** A non-zero Content-Length (RequestGuard has refused malformed and oversized ones). */
    private static boolean declaresBody(io.vertx.core.MultiMap headers) {
        String length = headers.get(HttpHeaders.CONTENT_LENGTH);
        return length != null && !length.trim().equals("0");
    }

    private static boolean isStreamedBody(io.vertx.core.MultiMap headers) {
        return headers.contains(HttpHeaders.TRANSFER_ENCODING) && !headers.contains(HttpHeaders.CONTENT_LENGTH);
    }
}
