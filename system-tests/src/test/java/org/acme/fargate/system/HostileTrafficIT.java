package org.acme.fargate.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Every kind of hostile request the internet can send through the ALB, all at once, against the packaged sidecar,
 * while normal clients keep calling the API at a steady rate: WebSocket handshakes, h2c upgrades, bodies that
 * trickle, heads that drip, chunked and oversized bodies, raw 8-bit targets, oversized heads, clients that leave
 * mid-request. The normal requests all succeed and their p99 stays within 3 times the quiet run's (a second at least:
 * the other lanes' load); afterwards the sidecar answers at once and stops within a second of SIGTERM and its shutdown
 * delay. Every loop is bounded in count and time, and every socket is on loopback.
 */
class HostileTrafficIT {

    private static final Duration ATTACK = Duration.ofSeconds(12);
    private static final int NORMAL_CLIENTS = 4;

    @Test
    void normalClientsAreServedWhileEveryAttackRunsAndTheSidecarStopsCleanAfterwards() throws Exception {
        try (SidecarProcess sidecar = SidecarProcess.start("sidecar-hostile")) {
            normalLoad(sidecar, Duration.ofSeconds(3)); // warm-up: JIT and pooled connections
            BoundedLoad quiet = normalLoad(sidecar, Duration.ofSeconds(5));
            assertEquals(List.of(), quiet.failures(), "the quiet run");

            ExecutorService attackers = Executors.newFixedThreadPool(48);
            long deadline = System.nanoTime() + ATTACK.toNanos();
            List<Future<?>> attacks = new ArrayList<>();
            repeat(attackers, attacks, 8, deadline, socket -> send(socket, "GET /api/products HTTP/1.1\r\nHost: x\r\n"
                    + "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n", true), sidecar.port);
            repeat(attackers, attacks, 4, deadline, socket -> send(socket, "GET /api/products HTTP/1.1\r\nHost: x\r\n"
                    + "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n", true),
                    sidecar.port);
            repeat(attackers, attacks, 12, deadline, socket -> trickle(socket, deadline), sidecar.port);
            repeat(attackers, attacks, 8, deadline, socket -> drip(socket, deadline), sidecar.port);
            repeat(attackers, attacks, 4, deadline, socket -> send(socket, "POST /api/quotes HTTP/1.1\r\nHost: x\r\n"
                    + "Transfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n2\r\n{}\r\n0\r\n\r\n", true), sidecar.port);
            repeat(attackers, attacks, 4, deadline, socket -> send(socket, "POST /api/quotes HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Length: 10000000\r\n\r\n", true), sidecar.port);
            repeat(attackers, attacks, 2, deadline, socket -> send(socket, "GET /api/\u00ff\u00fe HTTP/1.1\r\nHost: x\r\n\r\n", true),
                    sidecar.port);
            repeat(attackers, attacks, 2, deadline, socket -> send(socket, "GET /api/products HTTP/1.1\r\nHost: x\r\nX-Big: "
                    + "a".repeat(17_000) + "\r\n\r\n", true), sidecar.port);
            repeat(attackers, attacks, 4, deadline, socket -> send(socket, "GET /api/slow HTTP/1.1\r\nHost: x\r\n\r\n", false),
                    sidecar.port);

            BoundedLoad underAttack = normalLoad(sidecar, ATTACK.minusSeconds(2));
            for (Future<?> attack : attacks) {
                attack.get(30, TimeUnit.SECONDS);
            }
            attackers.shutdown();

            assertEquals(List.of(), underAttack.failures(), "normal requests under attack: " + underAttack);
            // A sidecar that attackers starve holds normal requests for their timeouts (the head and body deadlines: 10 s);
            // under a second is the other lanes' load on this machine, not starvation (the quiet run had less of it).
            long bound = Math.max(3 * quiet.p99Millis(), 1_000);
            assertTrue(underAttack.p99Millis() <= bound, "p99 under attack " + underAttack.p99Millis() + " ms, quiet "
                    + quiet.p99Millis() + " ms (" + underAttack + ")");

            long start = System.nanoTime();
            HttpResponse<String> after = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(sidecar.baseUrl() + "/api/products")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, after.statusCode());
            assertTrue((System.nanoTime() - start) / 1_000_000 < 1_000, "the sidecar answers at once afterwards");
            assertEquals(200, HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(sidecar.baseUrl()
                    + "/q/health/ready")).build(), HttpResponse.BodyHandlers.discarding()).statusCode(), "and is ready");
            long stopped = sidecar.terminate() - SidecarProcess.SHUTDOWN_DELAY.toMillis();
            assertTrue(stopped < 1_000, "the sidecar took " + stopped + " ms beyond its shutdown delay to stop after the attack");
        }
    }

    /** Normal clients at a steady rate (about 50 requests/s each) for {@code duration}; returns once they are done. */
    private static BoundedLoad normalLoad(SidecarProcess sidecar, Duration duration) throws Exception {
        try (BoundedLoad load = BoundedLoad.start(sidecar.baseUrl(), NORMAL_CLIENTS, duration, Duration.ofMillis(20))) {
            Thread.sleep(duration.toMillis());
            return load;
        }
    }

    /** {@code count} attackers, each opening a connection, doing {@code attack} on it, and again (10 times a second at most) until the deadline. */
    private static void repeat(ExecutorService pool, List<Future<?>> attacks, int count, long deadline,
            Consumer<Socket> attack, int port) {
        for (int i = 0; i < count; i++) {
            attacks.add(pool.submit(() -> {
                for (int n = 0; n < 2_000 && System.nanoTime() < deadline; n++) {
                    try (Socket socket = new Socket("127.0.0.1", port)) {
                        socket.setSoTimeout(3_000);
                        attack.accept(socket);
                    } catch (IOException refusedOrReset) {
                        // and again
                    }
                    // Attacks, not a flood: a flood of valid requests is for the ALB's and WAF's rate limits.
                    sleepQuietly(100);
                }
            }));
        }
    }

    /** Sends a request; reads the first bytes of the answer, or leaves at once. */
    private static void send(Socket socket, String request, boolean readAnswer) {
        try {
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            if (readAnswer) {
                InputStream in = socket.getInputStream();
                in.read(new byte[512]);
            } else {
                sleepQuietly(50);
            }
        } catch (IOException closedByTheSidecar) {
            // the expected end of most attacks
        }
    }

    /** A POST whose 1,000-byte body comes one byte every 300 ms. */
    private static void trickle(Socket socket, long deadline) {
        try {
            OutputStream out = socket.getOutputStream();
            out.write("POST /api/quotes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            for (int i = 0; i < 1_000 && System.nanoTime() < deadline; i++) {
                out.write('{');
                out.flush();
                sleepQuietly(300);
            }
        } catch (IOException refused) {
            // 408 and closed: the sidecar's body deadline
        }
    }

    /** A head that drips one header line every second. */
    private static void drip(Socket socket, long deadline) {
        try {
            OutputStream out = socket.getOutputStream();
            out.write("GET /api/products HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.ISO_8859_1));
            for (int i = 0; i < 100 && System.nanoTime() < deadline; i++) {
                out.write(("X-Drip-" + i + ": a\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                sleepQuietly(1_000);
            }
        } catch (IOException closed) {
            // the sidecar closed it
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
