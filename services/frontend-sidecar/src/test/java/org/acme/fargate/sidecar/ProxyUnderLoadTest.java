package org.acme.fargate.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The regression that matters (docs/sidecar-proxy.md): clients that disconnect while
 * their requests wait for a backend connection must not leak pooled connections. The pool is small
 * here (8) so that 64 clients really do queue. Every loop is bounded in count and time, and every
 * socket is on loopback.
 */
@QuarkusTest
@QuarkusTestResource(value = EchoBackendResource.class, restrictToAnnotatedClass = true)
@TestProfile(ProxyUnderLoadTest.SmallPool.class)
class ProxyUnderLoadTest {

    static final int POOL = 8;

    public static class SmallPool implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sidecar.backend.pool-size", String.valueOf(POOL));
        }
    }

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    private final ErrorLogs errors = new ErrorLogs();
    private final ExecutorService clients = Executors.newFixedThreadPool(64);
    // Its own default executor: sharing the clients' pool would deadlock once 64 of them block in send().
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeEach
    void watchLogs() {
        Logger.getLogger("").addHandler(errors);
    }

    @AfterEach
    void stop() {
        Logger.getLogger("").removeHandler(errors);
        clients.shutdownNow();
        EchoBackend.reviveStaleConnections();
        EchoBackend.start(); // a failed restart test must not fail the tests after it too
    }

    @Test
    void clientsDisconnectingWhileQueuedLeakNoConnection() throws Exception {
        for (int round = 0; round < 3; round++) {
            List<Future<?>> leaving = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                boolean abortive = i % 2 == 0;
                String method = i % 4 < 2 ? "GET" : "POST";
                leaving.add(clients.submit(() -> sendAndLeave(method, "/api/slow?ms=150", 20, abortive)));
            }
            for (Future<?> client : leaving) {
                client.get(10, TimeUnit.SECONDS);
            }
        }
        // At once: one request succeeds, then a pool-full of slow ones all at the same time.
        assertEquals(200, get("/api/echo").statusCode());
        List<Future<HttpResponse<String>>> concurrent = new ArrayList<>();
        for (int i = 0; i < POOL; i++) {
            concurrent.add(http.sendAsync(request("/api/slow?ms=300"), HttpResponse.BodyHandlers.ofString()));
        }
        for (Future<HttpResponse<String>> response : concurrent) {
            assertEquals(200, response.get(10, TimeUnit.SECONDS).statusCode());
        }
        awaitBackendIdle();
        assertEquals(List.of(), errors.seen, "no ERROR logged");
    }

    @Test
    void sixtyFourKeepAliveClientsAndMidResponseDisconnectsAllSucceed() throws Exception {
        AtomicInteger ok = new AtomicInteger();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        List<Future<?>> work = new ArrayList<>();
        for (int client = 0; client < 64; client++) {
            work.add(clients.submit(() -> {
                for (int i = 0; i < 25; i++) {
                    try {
                        HttpResponse<String> response = get("/api/echo?i=" + i);
                        if (response.statusCode() == 200) {
                            ok.incrementAndGet();
                        } else {
                            failures.add(response.statusCode() + " " + response.body());
                        }
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                }
            }));
        }
        // Meanwhile other clients walk away from a 1 MiB response that is still streaming.
        for (int i = 0; i < 32; i++) {
            sendAndLeave("GET", "/api/big", 5, i % 2 == 0);
        }
        for (Future<?> future : work) {
            future.get(60, TimeUnit.SECONDS);
        }
        assertEquals(List.of(), List.copyOf(failures));
        assertEquals(64 * 25, ok.get());
        assertEquals(200, get("/api/echo").statusCode());
        awaitBackendIdle();
        assertEquals(List.of(), errors.seen, "no ERROR logged");
    }

    @Test
    void aBackendRestartLeavesNoBrokenConnectionBehind() throws Exception {
        assertEquals(200, get("/api/echo").statusCode());
        EchoBackend.stop();
        HttpResponse<String> whileDown = get("/api/echo");
        assertEquals(503, whileDown.statusCode());
        assertTrue(whileDown.body().contains("\"status\":503"), whileDown.body());
        EchoBackend.start();
        // Pooled connections to the old process are dead; none of them may surface as an error.
        List<Future<HttpResponse<String>>> after = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            after.add(http.sendAsync(request("/api/echo"), HttpResponse.BodyHandlers.ofString()));
        }
        for (Future<HttpResponse<String>> response : after) {
            assertEquals(200, response.get(10, TimeUnit.SECONDS).statusCode());
        }
        assertEquals(List.of(), errors.seen, "no ERROR logged");
    }

    @Test
    void aRestartThatLeftTheWholePoolStaleCostsNoIdempotentRequest() throws Exception {
        fillThePool();
        EchoBackend.makeOpenConnectionsStale();
        // Every idle connection now fails on first use; one retry would meet another stale one and answer 502.
        HttpResponse<String> get = get("/api/echo");
        assertEquals(200, get.statusCode(), get.body());

        fillThePool();
        EchoBackend.makeOpenConnectionsStale();
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/echo"))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString("{}"))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(502, post.statusCode(), "a POST is never sent twice: " + post.body());
        assertEquals(List.of(), errors.seen, "no ERROR logged");
    }

    /** Opens the pool's every connection (each held by a slow request at once), then leaves them idle. */
    private void fillThePool() throws Exception {
        List<Future<HttpResponse<String>>> concurrent = new ArrayList<>();
        for (int i = 0; i < POOL; i++) {
            concurrent.add(http.sendAsync(request("/api/slow?ms=300"), HttpResponse.BodyHandlers.ofString()));
        }
        for (Future<HttpResponse<String>> response : concurrent) {
            assertEquals(200, response.get(10, TimeUnit.SECONDS).statusCode());
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(request(path), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build();
    }

    /**
     * Sends a whole keep-alive request (a POST with a small JSON body, or a GET), waits a little, then
     * leaves: with a RST (abortive) or a FIN.
     */
    private void sendAndLeave(String method, String path, long afterMillis, boolean abortive) {
        String body = method.equals("POST") ? "{\"items\":[{\"sku\":\"TEA-001\",\"quantity\":1}]}" : "";
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write((method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n"
                    + (body.isEmpty() ? "" : "Content-Type: application/json\r\nContent-Length: " + body.length()
                    + "\r\n") + "\r\n" + body).getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            Thread.sleep(afterMillis);
            if (abortive) {
                socket.setSoLinger(true, 0);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitBackendIdle() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (EchoBackend.inFlight.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(0, EchoBackend.inFlight.get(), "every backend request finished");
    }

    static final class ErrorLogs extends Handler {
        final List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                seen.add(record.getLoggerName() + ": " + record.getMessage()
                        + (record.getThrown() == null ? "" : " " + record.getThrown()));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
