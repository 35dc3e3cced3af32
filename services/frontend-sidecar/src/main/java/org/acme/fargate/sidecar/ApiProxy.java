package org.acme.fargate.sidecar;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import java.util.Set;
import org.acme.fargate.problem.Problem;
import org.acme.fargate.problem.ProblemWriter;

/**
 * Reverse-proxies {@code /api/*}, and nothing else, to service-a over the task's shared localhost.
 *
 * <p>Written on Vert.x's HTTP client rather than with vertx-http-proxy, because the order of the steps is what
 * keeps one client from hurting the others (docs/sidecar-proxy.md):
 * <ol>
 *   <li>the whole body (at most 64 KiB, with a Content-Length) is read within {@code sidecar.body-timeout}
 *       <em>before</em> a backend connection is taken, so a slow upload holds no pooled connection;</li>
 *   <li>a pooled connection is waited for at most {@code sidecar.backend.pool-wait}, then 503 with Retry-After;</li>
 *   <li>an idempotent request that finds its kept-alive connection closed by service-a is sent again, on
 *       another connection, as nginx does for a cached upstream connection: such a failure spends no try, so
 *       a restart that left the whole pool stale costs no request; at most the pool's size of them, because
 *       each one discards a stale connection. Nothing else is retried;</li>
 *   <li>a client that leaves aborts its backend request, which gives the connection back;</li>
 *   <li>an error service-a answers without a JSON body (a bodiless 431, say) leaves as a problem document.</li>
 * </ol>
 * WebSocket handshakes never reach this handler ({@link RequestRefusals} refuses them); other upgrades (h2c, which
 * Java's HttpClient offers on every first request) are ignored, as RFC 9110 allows: the answer is plain HTTP/1.1,
 * and {@code Upgrade} is a hop-by-hop header that service-a never sees.
 */
@Singleton
public class ApiProxy implements Handler<RoutingContext> {

    private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.PUT,
            HttpMethod.DELETE, HttpMethod.OPTIONS);

    /** Answers up to this size are relayed in one write; larger ones stream, with back-pressure. */
    private static final int SMALL_ANSWER_BYTES = 64 * 1024;

    private final SidecarConfig config;
    private final Vertx vertx;
    private final HttpClient client;
    private final RequestOptions target;
    /** At most one stale connection per pooled one: each broken-connection failure discards the connection it used. */
    private final int brokenConnectionRetries;

    ApiProxy(SidecarConfig config, Vertx vertx) {
        this.config = config;
        this.vertx = vertx;
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
        this.client = vertx.createHttpClient(clientOptions, poolOptions);
        this.brokenConnectionRetries = backend.poolSize();
        this.target = new RequestOptions().setHost(backend.host()).setPort(backend.port())
                // The address object once, rather than one per request (it is resolved when a connection opens).
                .setServer(SocketAddress.inetSocketAddress(backend.port(), backend.host()))
                // Covers the wait for a pooled connection too, not only the TCP connect.
                .setConnectTimeout(backend.poolWait().toMillis())
                .setIdleTimeout(backend.responseTimeout().toMillis());
    }

    /** Whether service-a answers its readiness check through this proxy's pool, within the pool wait. */
    Future<Boolean> probeBackend() {
        RequestOptions probe = new RequestOptions(target).setMethod(HttpMethod.GET).setURI(config.backend().readinessPath())
                .setIdleTimeout(config.backend().poolWait().toMillis());
        return client.request(probe).compose(HttpClientRequest::send)
                .compose(answer -> answer.body().map(body -> answer.statusCode() == 200));
    }

    /** Proxies one request; {@link RequestRefusals} has already let it through. */
    @Override
    public void handle(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        MultiMap headers = request.headers();
        if (headers.contains(HttpHeaders.TRANSFER_ENCODING) && !headers.contains(HttpHeaders.CONTENT_LENGTH)) {
            // A streamed body cannot be held to the size limit before it is read; the API's bodies are small
            // JSON documents that browsers and SDKs send with a length.
            ProblemWriter.refuseAndClose(request, Problem.of(411,
                    "Send the body with a Content-Length header (chunked bodies are not accepted).").withInstance(request.path()));
            return;
        }
        String length = headers.get(HttpHeaders.CONTENT_LENGTH);
        if (length == null || length.trim().equals("0")) {
            send(request, null, brokenConnectionRetries);
            return;
        }
        long deadline = vertx.setTimer(config.bodyTimeout().toMillis(), id -> refuseUnfinishedBody(request));
        if (headers.contains(HttpHeaders.EXPECT)) {
            request.response().writeContinue();
        }
        request.body().onComplete(body -> {
            vertx.cancelTimer(deadline);
            if (body.succeeded() && !request.response().ended()) {
                send(request, body.result(), brokenConnectionRetries);
            }
        });
        request.resume(); // Quarkus hands the request over paused
    }

    /** Sends the request; {@code retriesLeft} is how many more pooled connections it may find closed. */
    private void send(HttpServerRequest request, Buffer body, int retriesLeft) {
        RequestOptions options = new RequestOptions(target).setMethod(request.method()).setURI(request.uri());
        client.request(options).onComplete(acquired -> {
            if (acquired.failed()) {
                answer(request, BackendFailures.noConnection(acquired.cause()));
                return;
            }
            HttpClientRequest backend = acquired.result();
            // Failures before the answer arrive through send()'s future; the only other one is our own reset for
            // a client that left, which needs no log line.
            backend.exceptionHandler(ownReset -> { });
            if (request.response().closed()) {
                backend.reset(); // the client left while we waited: give the connection back at once
                return;
            }
            request.response().closeHandler(clientLeft -> backend.reset());
            ProxyHeaders.toBackend(request, backend.headers());
            (body == null ? backend.send() : backend.send(body)).onComplete(answered -> {
                if (answered.succeeded()) {
                    relay(request, answered.result());
                } else if (retriesLeft > 0 && IDEMPOTENT.contains(request.method())
                        && !request.response().closed() && BackendFailures.isBrokenConnection(answered.cause())) {
                    send(request, body, retriesLeft - 1);
                } else {
                    answer(request, BackendFailures.noAnswer(answered.cause()));
                }
            });
        });
    }

    private void relay(HttpServerRequest request, HttpClientResponse answer) {
        HttpServerResponse response = request.response();
        if (response.closed()) {
            answer.request().reset();
            return;
        }
        if (answer.statusCode() >= 400 && !isJson(answer.getHeader(HttpHeaders.CONTENT_TYPE))) {
            // Every /api error leaves as a problem document, whatever service-a's HTTP layer wrote.
            answer.body().onComplete(ignored -> ProblemWriter.send(response, Problem.of(answer.statusCode(),
                    "service-a refused the request (" + answer.statusCode() + " " + answer.statusMessage() + ").")
                    .withInstance(request.path())));
            return;
        }
        response.setStatusCode(answer.statusCode());
        ProxyHeaders.toClient(answer.headers(), response.headers());
        if (!response.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
            response.setChunked(true);
        }
        if (isSmall(answer.getHeader(HttpHeaders.CONTENT_LENGTH))) {
            // Most API answers: one write instead of a pipe's pause/resume round trips.
            answer.body().onSuccess(response::end).onFailure(brokenMidway -> response.reset());
        } else {
            answer.pipeTo(response).onFailure(clientLeftMidway -> answer.request().reset());
        }
    }

    private void answer(HttpServerRequest request, BackendFailures.Answer failure) {
        HttpServerResponse response = request.response();
        if (failure.retryAfter() && !response.headWritten()) {
            response.putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(BackendFailures.RETRY_AFTER_SECONDS));
        }
        ProblemWriter.send(response, Problem.of(failure.status(), failure.detail()).withInstance(request.path()));
    }

    /** Closes the client connection; no backend request has begun, because the body comes first. */
    private static void refuseUnfinishedBody(HttpServerRequest request) {
        if (!request.isEnded() && !request.response().headWritten()) {
            ProblemWriter.refuseAndClose(request, Problem.of(408,
                    "The request body did not arrive in time; send it at once.").withInstance(request.path()));
        }
    }

    private static boolean isSmall(String contentLength) {
        try {
            return contentLength != null && contentLength.length() <= 6 && Integer.parseInt(contentLength) <= SMALL_ANSWER_BYTES;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean isJson(String contentType) {
        return contentType != null && (contentType.startsWith("application/json")
                || contentType.startsWith(Problem.MEDIA_TYPE));
    }
}
