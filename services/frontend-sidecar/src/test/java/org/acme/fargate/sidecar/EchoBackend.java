package org.acme.fargate.sidecar;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server standing in for service-a on a random loopback port. It echoes what it received
 * as JSON, answers {@code /api/slow?ms=N} after N ms, {@code /api/status/N} with status N, and its
 * readiness as {@link #ready} says. It can be stopped and started again on the same port, and it can play a
 * restart the proxy has not noticed yet ({@link #makeOpenConnectionsStale()}).
 */
public final class EchoBackend {

    private static final Vertx VERTX = Vertx.vertx();
    static final int PORT = freePort();
    static final AtomicBoolean ready = new AtomicBoolean(true);
    static final AtomicInteger inFlight = new AtomicInteger();
    /** The requests served, by path. */
    static final Map<String, AtomicInteger> served = new java.util.concurrent.ConcurrentHashMap<>();
    private static HttpServer server;
    /** Connections open now; {@link #makeOpenConnectionsStale()} turns them into a dead process's connections. */
    private static final Set<HttpConnection> open = ConcurrentHashMap.newKeySet();
    private static final Set<HttpConnection> stale = ConcurrentHashMap.newKeySet();

    private EchoBackend() {
    }

    static Map<String, String> config() {
        start();
        return Map.of("sidecar.backend.port", String.valueOf(PORT), "sidecar.backend.host", "127.0.0.1");
    }

    static synchronized void start() {
        if (server != null) {
            return;
        }
        // Headers up to service-a's limit (Quarkus's 20K), not Vert.x's default 8K.
        server = await(VERTX.createHttpServer(new io.vertx.core.http.HttpServerOptions().setMaxHeaderSize(20 * 1024))
                .connectionHandler(connection -> {
                    open.add(connection);
                    connection.closeHandler(closed -> {
                        open.remove(connection);
                        stale.remove(connection);
                    });
                })
                .requestHandler(request -> {
            if (stale.contains(request.connection())) {
                request.connection().close(); // what a process that died after accepting it would leave behind
                return;
            }
            inFlight.incrementAndGet();
            served.computeIfAbsent(request.path(), path -> new AtomicInteger()).incrementAndGet();
            request.response().closeHandler(v -> { });
            request.body().onComplete(body -> {
                String path = request.path();
                long delay = path.equals("/api/slow") ? Long.parseLong(request.getParam("ms", "0")) : 0;
                VERTX.setTimer(Math.max(1, delay), t -> {
                    inFlight.decrementAndGet();
                    if (request.response().closed()) {
                        return;
                    }
                    if (path.equals("/q/health/ready")) {
                        request.response().setStatusCode(ready.get() ? 200 : 503).end("{}");
                    } else if (path.equals("/api/big")) {
                        // Large enough (1 MiB) that a client can leave while it is still being streamed.
                        request.response().putHeader("Content-Type", "application/octet-stream")
                                .end(io.vertx.core.buffer.Buffer.buffer(new byte[1 << 20]));
                    } else if (path.startsWith("/api/status/")) {
                        request.response().setStatusCode(Integer.parseInt(path.substring(12))).end("status");
                    } else {
                        JsonObject headers = new JsonObject();
                        request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
                        request.response().putHeader("Content-Type", "application/json")
                                .putHeader("X-Backend", "echo")
                                // What service-a's path trace answers: its own hop (and service-b's), or what a
                                // test asks for in X-Echo-Path.
                                .putHeader("X-Path", Objects.requireNonNullElse(request.getHeader("X-Echo-Path"),
                                        "[{\"container\":\"service-a\",\"taskId\":\"web-local\","
                                        + "\"availabilityZone\":\"local-a\",\"privateIp\":\"127.0.0.1\",\"port\":"
                                        + PORT + ",\"elapsedMs\":0.5}]"))
                                .end(new JsonObject().put("method", request.method().name())
                                        .put("uri", request.uri()).put("headers", headers)
                                        .put("body", body.succeeded() ? body.result().toString() : null).encode());
                    }
                });
            });
        }).listen(PORT, "127.0.0.1"));
    }

    /**
     * The next request on each connection open now is closed without an answer: the proxy's view of a restart
     * whose FINs it has not read yet, made deterministic (the real one is a race the proxy usually wins).
     */
    static void makeOpenConnectionsStale() {
        stale.addAll(open);
    }

    /** Stale connections the test did not use up serve again, so that the next test starts from a live pool. */
    static void reviveStaleConnections() {
        stale.clear();
    }

    static synchronized void stop() {
        if (server != null) {
            await(server.close());
            server = null;
        }
    }

    private static <T> T await(io.vertx.core.Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
