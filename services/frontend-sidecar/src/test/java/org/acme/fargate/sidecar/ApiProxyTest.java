package org.acme.fargate.sidecar;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@QuarkusTest
@QuarkusTestResource(EchoBackendResource.class)
class ApiProxyTest {

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Test
    void thePageCarriesItsProtections() {
        given().get("/").then().statusCode(200)
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY")
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .header("Content-Security-Policy", containsString("default-src 'self'"));
    }

    @Test
    void keepsMethodBodyQueryAndStatus() {
        given().contentType(ContentType.JSON).body("{\"items\":[]}").queryParam("q", "a b")
                .put("/api/things/7").then().statusCode(200).header("X-Backend", "echo")
                .body("method", equalTo("PUT"))
                .body("uri", equalTo("/api/things/7?q=a%20b"))
                .body("body", equalTo("{\"items\":[]}"));
        given().get("/api/status/404").then().statusCode(404);
        given().get("/api/status/201").then().statusCode(201);
    }

    @Test
    void setsForwardedHeadersAndARequestId() {
        given().header("Host", "shop.example.com").get("/api/echo").then().statusCode(200)
                .header("X-Request-Id", notNullValue())
                .body("headers.x-forwarded-for", equalTo("127.0.0.1"))
                .body("headers.x-forwarded-proto", equalTo("http"))
                .body("headers.x-forwarded-host", equalTo("shop.example.com"))
                .body("headers.x-request-id", matchesPattern("[0-9a-f-]{36}"));
    }

    @Test
    void appendsToTheAlbsForwardedForAndKeepsItsProto() {
        given().header("X-Forwarded-For", "203.0.113.9").header("X-Forwarded-Proto", "https")
                .get("/api/echo").then().statusCode(200)
                .body("headers.x-forwarded-for", equalTo("203.0.113.9, 127.0.0.1"))
                .body("headers.x-forwarded-proto", equalTo("https"));
    }

    @Test
    void keepsTheClientsRequestIdButNotItsTraceContext() {
        given().header("X-Request-Id", "req-42").header("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
                .header("tracestate", "vendor=1").header("baggage", "user=alice")
                .get("/api/echo").then().statusCode(200).header("X-Request-Id", "req-42")
                .body("headers.x-request-id", equalTo("req-42"))
                .body("headers", not(hasKey("traceparent"))).body("headers", not(hasKey("tracestate")))
                .body("headers", not(hasKey("baggage")));
    }

    @Test
    void replacesARequestIdThatCouldForgeLogLines() {
        given().header("X-Request-Id", "x\" level=ERROR msg=\"forged").get("/api/echo").then().statusCode(200)
                .body("headers.x-request-id", matchesPattern("[0-9a-f-]{36}"));
    }

    @Test
    void putsItsHopInFrontOfServiceAsPath() {
        JsonPath proxied = new JsonPath(
                given().get("/api/echo").then().statusCode(200).extract().header("X-Path"));
        assertEquals(List.of("frontend-sidecar", "service-a"), proxied.getList("container"));
        assertEquals("web-local", proxied.getString("[0].taskId"));
        assertNotNull(proxied.get("[0].elapsedMs"));
        JsonPath page = new JsonPath(
                given().get("/").then().statusCode(200).extract().header("X-Path"));
        assertEquals(List.of("frontend-sidecar"), page.getList("container"));
    }

    @Test
    void keepsANewerHopsFieldsAndDropsWhatIsNoPath() {
        JsonPath newer = new JsonPath(given().header("X-Echo-Path", "[{\"container\":\"service-a\",\"region\":\"r1\"}]")
                .get("/api/echo").then().statusCode(200).extract().header("X-Path"));
        assertEquals(List.of("frontend-sidecar", "service-a"), newer.getList("container"));
        assertEquals("r1", newer.getString("[1].region"), "a field this version does not know passes on");
        for (String noPath : List.of("not json", "[1,2]", "{\"container\":\"service-a\"}", "[{}] [{}]", "[{\"a\":1}")) {
            JsonPath proxied = new JsonPath(given().header("X-Echo-Path", noPath)
                    .get("/api/echo").then().statusCode(200).extract().header("X-Path"));
            assertEquals(List.of("frontend-sidecar"), proxied.getList("container"), noPath);
        }
    }

    @Test
    void servesThePageAndProxiesNothingElse() {
        given().get("/").then().statusCode(200).contentType(containsString("text/html"))
                .header("X-Backend", (String) null);
        given().get("/apix").then().statusCode(404).contentType("application/problem+json");
        given().get("/q/health/live").then().statusCode(200).header("X-Backend", (String) null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/../q/health", "/api/%2e%2e/secret", "/api/a%2fb", "/api/a%5cb", "/api//x",
            "/api/./x", "/api/%2E%2E"})
    void refusesPathsThatCouldEscapeTheApi(String path) throws Exception {
        String response = raw("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 400"), response);
        assertTrue(response.contains("application/problem+json"), response);
        assertFalse(response.contains("echo"), response);
    }

    @Test
    void aRequestLineTheHttpCodecRejectsNeverReachesTheBackend() throws Exception {
        // Netty's codec refuses a raw backslash before any route runs; ConnectionGuard answers it as a problem.
        String response = raw("GET /api/a\\b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 400"), response);
        assertTrue(response.contains("application/problem+json"), response);
        assertFalse(response.contains("echo"), response);
    }

    @Test
    void refusesAbsoluteUrisAndTunnels() throws Exception {
        String absolute = raw("GET http://169.254.169.254/latest/meta-data HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertTrue(absolute.startsWith("HTTP/1.1 400"), absolute);
        String connect = raw("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n");
        assertTrue(connect.startsWith("HTTP/1.1 4"), connect);
        assertFalse(connect.contains("echo"), connect);
        given().when().request("TRACE", "/api/echo").then().statusCode(405).contentType("application/problem+json");
    }

    @Test
    void refusesOversizeAndStreamedBodies() throws Exception {
        given().contentType(ContentType.JSON).body("x".repeat(70_000)).post("/api/quotes").then().statusCode(413)
                .contentType("application/problem+json").body("detail", containsString("65536"));
        String chunked = raw("POST /api/quotes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n");
        assertTrue(chunked.startsWith("HTTP/1.1 411"), chunked);
    }

    @Test
    void aBackendThatIsDownIsA503ProblemAndReadinessGoesDown() {
        EchoBackend.stop();
        try {
            given().get("/api/echo").then().statusCode(503).contentType("application/problem+json")
                    .header("Retry-After", notNullValue()).body("detail", containsString("service-a"));
            given().get("/q/health/ready").then().statusCode(503);
            given().get("/q/health/live").then().statusCode(200);
        } finally {
            EchoBackend.start();
        }
        given().get("/api/echo").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void readinessFollowsTheBackendsReadiness() {
        EchoBackend.ready.set(false);
        try {
            // Public: the check says what failed, never where service-a is or what it said.
            given().get("/q/health/ready").then().statusCode(503).body("checks.find { it.name == 'api' }.status", equalTo("DOWN"))
                    .body("checks.find { it.name == 'api' }.data", nullValue())
                    .body(not(containsString("8080"))).body(not(containsString("localhost")));
        } finally {
            EchoBackend.ready.set(true);
        }
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void upgradesAreRefusedAndHoldNothing() throws Exception {
        // The attack that used to pin a pooled connection per request: many times more than the pool holds.
        for (int i = 0; i < 80; i++) {
            String websocket = raw("GET /api/echo HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                    + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
            assertTrue(websocket.startsWith("HTTP/1.1 400"), websocket);
            assertTrue(websocket.contains("application/problem+json"), websocket);
        }
        // h2c (Java's HttpClient offers it on every first request) is ignored: a plain HTTP/1.1 answer, no 101,
        // and service-a never sees the upgrade headers.
        String h2c = raw("GET /api/echo HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n");
        assertTrue(h2c.startsWith("HTTP/1.1 200"), "no 101 for h2c: " + h2c);
        assertFalse(h2c.toLowerCase().contains("\"upgrade\"") || h2c.toLowerCase().contains("http2-settings"), h2c);
        // HTTP/2 by prior knowledge is not spoken either: a problem in HTTP/1.1, no SETTINGS frame (ConnectionGuardTest).
        String priorKnowledge = raw("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
        assertTrue(priorKnowledge.startsWith("HTTP/1.1 400") && priorKnowledge.contains("application/problem+json"),
                priorKnowledge);
        given().get("/api/echo").then().statusCode(200);
    }

    @Test
    void aBodyIsReadWholeBeforeServiceAIsCalled() throws Exception {
        try (Socket slow = new Socket("127.0.0.1", port)) {
            OutputStream out = slow.getOutputStream();
            out.write(("POST /api/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 20\r\n\r\n"
                    + "{\"items\":").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            Thread.sleep(500);
            assertEquals(0, EchoBackend.inFlight.get(), "service-a sees nothing of a body still arriving");
            given().get("/api/echo").then().statusCode(200);
            out.write("[1,2,3,4,5]}".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            slow.setSoTimeout(5_000);
            String answer = new String(slow.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1);
            assertEquals("HTTP/1.1 200", answer);
        }
    }

    @Test
    void aTargetOutsidePrintableAsciiIsRefused() throws Exception {
        String response = raw("GET /api/" + "\u00ff".repeat(3_000) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 4"), response);
        assertFalse(response.contains("echo"), response);
    }

    @Test
    void headersServiceAWouldRefuseAreRefusedHere() throws Exception {
        // 17 KiB of headers: over the sidecar's 16K, under service-a's 20K with what the sidecar adds.
        String response = raw("GET /api/echo HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(17_000)
                + "\r\nConnection: close\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 431"), response);
        assertTrue(response.contains("application/problem+json"), response);
        assertFalse(response.contains("echo"), response);
        given().header("X-Fits", "a".repeat(15_000)).get("/api/echo").then().statusCode(200);
    }

    @Test
    void serviceAsBodilessErrorsLeaveAsProblems() {
        given().get("/api/status/431").then().statusCode(431).contentType("application/problem+json")
                .body("status", equalTo(431)).body("instance", equalTo("/api/status/431"));
        given().get("/api/status/500").then().statusCode(500).contentType("application/problem+json");
    }

    @Test
    void errorsNeverLeakStackTraces() {
        given().get("/api/status/500").then().statusCode(500).body(not(containsString("Exception")));
    }

    private String raw(String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            int read = in.read(buffer);
            return read < 0 ? "" : new String(buffer, 0, read, StandardCharsets.ISO_8859_1);
        }
    }
}
