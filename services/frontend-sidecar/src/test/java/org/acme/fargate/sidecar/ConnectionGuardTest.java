package org.acme.fargate.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * What {@link ConnectionGuard} and {@link OpenConnections} do below the HTTP handlers, over raw sockets: the head's
 * deadline (1 s here) counted from its first byte, HTTP/2 by prior knowledge and what the codec cannot parse
 * answered as problems, and the cap on open connections (60 here).
 */
@QuarkusTest
@QuarkusTestResource(value = EchoBackendResource.class, restrictToAnnotatedClass = true)
@TestProfile(ConnectionGuardTest.ShortLimits.class)
class ConnectionGuardTest {

    static final int MAX_CONNECTIONS = 60;

    public static class ShortLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sidecar.head-timeout", "1s", "quarkus.http.limits.max-connections", String.valueOf(MAX_CONNECTIONS));
        }
    }

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Inject
    PublicServer server;

    @Test
    void aHeadDrippedPastItsDeadlineIsA408ProblemAndTheConnectionCloses() throws Exception {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            Thread dripper = new Thread(() -> {
                try {
                    out.write("GET /api/echo HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    for (int line = 0; line < 20; line++) { // 6 s of headers, one every 300 ms
                        Thread.sleep(300);
                        out.write(("X-Drip-" + line + ": 1\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    }
                } catch (IOException | InterruptedException closedByTheSidecar) {
                    // expected: the sidecar closes the connection at the deadline
                }
            });
            dripper.start();
            String answer = readUntilClosed(socket);
            assertTrue(dripper.isAlive(), "the answer came while the head was still dripping");
            dripper.interrupt();
            assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
            assertTrue(answer.contains("application/problem+json"), answer);
            assertTrue(answer.contains("of its first byte"), answer);
            assertFalse(answer.contains("\"instance\""), "the guard answers below HTTP, with no request to name: no instance (not \"instance\": null): " + answer);
            assertEquals(0, EchoBackend.inFlight.get());
        }
    }

    @Test
    void anIdleKeptAliveConnectionIsNoHeadInProgress() throws Exception {
        try (Socket socket = connect()) {
            assertTrue(exchange(socket, "GET /api/echo HTTP/1.1\r\nHost: x\r\n\r\n").startsWith("HTTP/1.1 200"));
            Thread.sleep(1_500); // longer than the head's deadline: idle time between requests is not counted
            assertTrue(exchange(socket, "GET /api/echo HTTP/1.1\r\nHost: x\r\n\r\n").startsWith("HTTP/1.1 200"));
        }
    }

    @Test
    void http2ByPriorKnowledgeIsAProblem() throws Exception {
        try (Socket socket = connect()) {
            socket.getOutputStream().write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            String answer = readUntilClosed(socket);
            assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
            assertTrue(answer.contains("application/problem+json") && answer.contains("HTTP/1.1 only"), answer);
        }
    }

    @Test
    void whatTheCodecCannotParseIsAProblem() throws Exception {
        assertProblem(400, "GET /api/a\\b HTTP/1.1\r\nHost: x\r\n\r\n");
        assertProblem(414, "GET /api/" + "a".repeat(5_000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        assertProblem(431, "GET /api/echo HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(17_000) + "\r\n\r\n");
        assertProblem(400, "GET /api/echo HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\n\r\n");
        assertEquals(0, EchoBackend.inFlight.get());
    }

    @Test
    void aBadHeadPipelinedAfterAGoodOneIsAnsweredInOrder() throws Exception {
        try (Socket socket = connect()) {
            socket.getOutputStream().write(("GET /api/echo HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "PRI * HTTP/2.0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            String answers = readUntilClosed(socket);
            assertTrue(answers.startsWith("HTTP/1.1 200"), answers);
            assertTrue(answers.indexOf("HTTP/1.1 400") > 0, answers);
        }
    }

    @Test
    void connectionsBeyondTheCapAreClosedAtOnce() throws Exception {
        List<Socket> held = new ArrayList<>();
        try {
            int refusedAt = -1;
            for (int i = 0; i < MAX_CONNECTIONS + 20 && refusedAt < 0; i++) {
                Socket socket = connect();
                held.add(socket);
                if (exchange(socket, "GET /api/echo HTTP/1.1\r\nHost: x\r\n\r\n").isEmpty()) {
                    refusedAt = i;
                }
            }
            assertTrue(refusedAt >= 0, "a connection over the cap was refused");
            for (int tries = 0; tries < 50 && server.openConnections() > MAX_CONNECTIONS; tries++) {
                Thread.sleep(20); // the refused one is being closed
            }
            assertEquals(MAX_CONNECTIONS, server.openConnections(), "the cap is held exactly");
            held.remove(0).close();
            for (int tries = 0; tries < 100 && server.openConnections() >= MAX_CONNECTIONS; tries++) {
                Thread.sleep(20);
            }
            try (Socket again = connect()) {
                assertTrue(exchange(again, "GET /api/echo HTTP/1.1\r\nHost: x\r\n\r\n").startsWith("HTTP/1.1 200"),
                        "a closed connection frees its place");
            }
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    private void assertProblem(int status, String request) throws Exception {
        try (Socket socket = connect()) {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            String answer = readUntilClosed(socket);
            assertTrue(answer.startsWith("HTTP/1.1 " + status), answer);
            assertTrue(answer.contains("application/problem+json"), answer);
            assertFalse(answer.contains("echo"), answer);
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(5_000);
        return socket;
    }

    /** Sends one request and reads one answer's bytes (the echo backend's answers fit one read); "" if closed. */
    private static String exchange(Socket socket, String request) throws IOException {
        try {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            byte[] buffer = new byte[8192];
            int read = socket.getInputStream().read(buffer);
            return read < 0 ? "" : new String(buffer, 0, read, StandardCharsets.ISO_8859_1);
        } catch (SocketException closedBeforeOrWhileWriting) {
            return "";
        }
    }

    private static String readUntilClosed(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
}
