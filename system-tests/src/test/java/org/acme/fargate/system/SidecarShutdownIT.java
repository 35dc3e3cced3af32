package org.acme.fargate.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The sidecar stops at once when nothing is in flight, even after a burst of clients that left mid-request
 * (their requests must count as finished), and finishes a request that is in flight before it exits.
 */
class SidecarShutdownIT {

    private static final Path JAR = LocalTopology.ROOT.resolve("frontend-sidecar/target/quarkus-app/quarkus-run.jar");

    @Test
    void afterClientsLeftMidRequestSigtermEndsTheSidecarWithinASecond() throws Exception {
        HttpServer backend = slowBackend();
        int port = LocalTopology.freePort();
        Process sidecar = start(port, backend.getAddress().getPort());
        try {
            LocalTopology.awaitReady("http://127.0.0.1:" + port, 60);
            // 64 clients that each send a request the backend answers in 2 s, and leave after 100 ms.
            for (int i = 0; i < 64; i++) {
                try (Socket client = new Socket("127.0.0.1", port)) {
                    OutputStream out = client.getOutputStream();
                    out.write("GET /api/slow HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    Thread.sleep(i % 8 == 0 ? 100 : 1);
                }
            }
            Thread.sleep(2_500); // every backend answer has come and gone
            long start = System.nanoTime();
            sidecar.destroy(); // SIGTERM, as ECS sends it
            assertTrue(sidecar.waitFor(10, TimeUnit.SECONDS), "the sidecar exited");
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis < 1_000, "the sidecar took " + millis + " ms to stop with nothing in flight");
        } finally {
            sidecar.destroyForcibly();
            backend.stop(0);
        }
    }

    @Test
    void aRequestInFlightAtSigtermIsAnswered() throws Exception {
        HttpServer backend = slowBackend();
        int port = LocalTopology.freePort();
        Process sidecar = start(port, backend.getAddress().getPort());
        try {
            LocalTopology.awaitReady("http://127.0.0.1:" + port, 60);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            var answer = http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/slow")).build(),
                    HttpResponse.BodyHandlers.ofString());
            Thread.sleep(500);
            sidecar.destroy();
            assertEquals(200, answer.get(10, TimeUnit.SECONDS).statusCode());
            assertTrue(sidecar.waitFor(10, TimeUnit.SECONDS), "the sidecar exited after answering");
        } finally {
            sidecar.destroyForcibly();
            backend.stop(0);
        }
    }

    /** Plays service-a: ready, and /api/slow answers after 2 s. */
    private static HttpServer slowBackend() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(80));
        server.createContext("/", exchange -> {
            try {
                if (exchange.getRequestURI().getPath().equals("/api/slow")) {
                    Thread.sleep(2_000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            try {
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            } catch (java.io.IOException clientGone) {
                // the sidecar reset the request: its client had left
            }
            exchange.close();
        });
        server.start();
        return server;
    }

    private static Process start(int port, int backendPort) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("java", "-jar", JAR.toString()).redirectErrorStream(true)
                .redirectOutput(LocalTopology.ROOT.resolve("system-tests/target/sidecar-shutdown.log").toFile());
        builder.environment().putAll(java.util.Map.of("QUARKUS_HTTP_PORT", String.valueOf(port),
                "QUARKUS_HTTP_HOST", "127.0.0.1", "BACKEND_HOST", "127.0.0.1", "BACKEND_PORT", String.valueOf(backendPort)));
        return builder.start();
    }
}
