package org.acme.fargate.system;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed requests written byte by byte on a socket to the sidecar, as an attacker or a broken client
 * would send them: paths, methods, headers, encodings, bodies, sizes and slow bodies. Each must get a 4xx,
 * never a 5xx or a stack trace, and afterwards the services answer normally.
 * ({@link StorefrontThroughSidecarIT} has the well-formed requests that the API refuses.)
 */
@ExtendWith(LocalTopology.class)
@Order(LocalTopology.SHARED)
class MalformedRequestsIT {

    private static final String HEADERS = "Host: localhost\r\nConnection: close\r\n";
    private static final String BASKET = "{\"items\":[{\"sku\":\"TEA-001\",\"quantity\":1}]}";

    static Stream<Arguments> refusedWithAProblem() {
        return Stream.of(
                // paths
                problem("encoded emoji SKU", get("/api/products/%F0%9F%98%80"), 404),
                // refused by the sidecar: service-a would receive them re-encoded, longer
                problem("raw 8-bit bytes in the path", get("/api/products/\u00ff\u00fe"), 400),
                problem("dot-segment", get("/api/./products"), 400),
                problem("encoded dot-dot", get("/api/%2e%2e/q/health"), 400),
                problem("encoded slash", get("/api/products%2fTEA-001"), 400),
                problem("encoded NUL", get("/api/products/TEA-001%00"), 400),
                problem("double slash", get("//api/products"), 400),
                problem("absolute-form target", get("http://169.254.169.254/latest/meta-data/"), 400),
                problem("asterisk-form target", "OPTIONS * HTTP/1.1\r\n" + HEADERS + "\r\n", 404),
                problem("double-encoded traversal to a file", get("/..%252f..%252fetc/passwd"), 404),
                problem("Quarkus dev UI", get("/q/dev-ui"), 404),
                problem("unknown API path", get("/api/admin"), 404),
                // methods
                problem("unknown method", "BREW /api/products HTTP/1.1\r\n" + HEADERS + "\r\n", 405),
                problem("lower-case method", "get /api/products HTTP/1.1\r\n" + HEADERS + "\r\n", 405),
                problem("PUT a quote", withEmptyBody("PUT", "/api/quotes"), 405),
                problem("PATCH a quote", withEmptyBody("PATCH", "/api/quotes"), 405),
                problem("POST to the catalog", withEmptyBody("POST", "/api/products"), 405),
                problem("DELETE the catalog", withEmptyBody("DELETE", "/api/products"), 405),
                problem("TRACE", "TRACE /api/products HTTP/1.1\r\n" + HEADERS + "\r\n", 405),
                // Vert.x Web answers before the guard: an authority-form target is no path it could route.
                problem("CONNECT tunnel", "CONNECT localhost:8080 HTTP/1.1\r\nHost: localhost:8080\r\nConnection: close\r\n\r\n", 404),
                // headers
                problem("no Host header", "GET /api/products HTTP/1.1\r\nConnection: close\r\n\r\n", 400),
                problem("two Host headers", "GET /api/products HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n", 400),
                problem("XML body", post("<items/>", "application/xml", ""), 415),
                problem("multipart body", post("--x--", "multipart/form-data; boundary=x", ""), 415),
                problem("text body", post("TEA-001", "text/plain", ""), 415),
                problem("only XML accepted", get("/api/products/NOPE-1", "Accept: application/xml\r\n"), 406),
                problem("declared length over 64 KiB", "POST /api/quotes HTTP/1.1\r\n" + HEADERS
                        + "Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n", 413),
                problem("Expect 100-continue over 64 KiB", "POST /api/quotes HTTP/1.1\r\n" + HEADERS
                        + "Content-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: 100000\r\n\r\n", 413),
                problem("chunked body", "POST /api/quotes HTTP/1.1\r\n" + HEADERS
                        + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n", 411),
                problem("gzip transfer coding", "POST /api/quotes HTTP/1.1\r\n" + HEADERS
                        + "Content-Type: application/json\r\nTransfer-Encoding: gzip\r\n\r\n", 411),
                problem("range past the end of the page", get("/", "Range: bytes=9999999-\r\n"), 416),
                // bodies and encodings
                problem("JSON nested 5,000 deep", post("[".repeat(5_000) + "]".repeat(5_000)), 400),
                problem("items nested 3,000 deep", post("{\"items\":" + "[".repeat(3_000) + "]".repeat(3_000) + "}"), 400),
                problem("quantity 1e400", post("{\"items\":[{\"sku\":\"TEA-001\",\"quantity\":1e400}]}"), 400),
                problem("quantity 2^31", post("{\"items\":[{\"sku\":\"TEA-001\",\"quantity\":2147483648}]}"), 400),
                problem("negative quantity", post("{\"items\":[{\"sku\":\"TEA-001\",\"quantity\":-1}]}"), 400),
                problem("boolean quantity", post("{\"items\":[{\"sku\":\"TEA-001\",\"quantity\":true}]}"), 400),
                problem("SKU of 10,000 characters", post("{\"items\":[{\"sku\":\"" + "A".repeat(10_000) + "\",\"quantity\":1}]}"), 400),
                problem("NUL in the SKU", post("{\"items\":[{\"sku\":\"TEA\\u0000001\",\"quantity\":1}]}"), 400),
                problem("SQL in the SKU", post("{\"items\":[{\"sku\":\"' OR 1=1 --\",\"quantity\":1}]}"), 400),
                problem("null SKU", post("{\"items\":[{\"sku\":null,\"quantity\":1}]}"), 400),
                problem("null item", post("{\"items\":[null]}"), 400),
                problem("null items", post("{\"items\":null}"), 400),
                problem("JSON null", post("null"), 400),
                problem("JSON array", post("[1,2]"), 400),
                problem("JSON string", post("\"TEA-001\""), 400),
                problem("invalid UTF-8", postBytes(new byte[] {'{', '"', 'i', (byte) 0xc3, (byte) 0x28, '"', ':', '1', '}'}), 400),
                problem("duplicate keys", post("{\"items\":[],\"items\":[]}"), 400),
                problem("trailing garbage", post(BASKET + "garbage"), 400),
                problem("body shorter than declared, then more requests", "POST /api/quotes HTTP/1.1\r\n" + HEADERS
                        + "Content-Type: application/json\r\nContent-Length: 5\r\n\r\n{\"items\":[]}", 400),
                problem("HTML in the body", post("<script>alert(1)</script>", "application/json", ""), 400));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedWithAProblem")
    void isRefusedWithAProblemDocument(String name, byte[] request, int status) throws Exception {
        Answer answer = send(request, 0, 0);
        assertEquals(status, answer.status(), name + ":\n" + answer.text());
        assertTrue(answer.header("content-type").startsWith("application/problem+json"), answer.text());
        assertTrue(answer.body().contains("\"status\":" + status) && answer.body().contains("\"detail\":\""), answer.text());
        assertNoInternals(answer);
    }

    /**
     * Requests that Vert.x's HTTP/1.1 parser refuses before any handler of ours runs: a 4xx with an empty
     * body, and the connection closed. Quarkus offers no hook for that parser's error answer; on AWS the
     * ALB refuses such requests itself before they reach a task.
     */
    static Stream<Arguments> refusedByTheHttpParser() {
        return Stream.of(
                Arguments.of("invalid percent-encoding", bytes(get("/api/products/%ZZ")), 400),
                Arguments.of("angle brackets in the target", bytes(get("/api/products/<script>")), 400),
                Arguments.of("backslashes in the target", bytes(get("/api/products\\..\\q")), 400),
                Arguments.of("request line of 10 KB", bytes(get("/api/products/" + "A".repeat(10_000))), 414),
                Arguments.of("query of 8 KB", bytes(get("/api/products?" + "a=1&".repeat(2_000))), 414),
                Arguments.of("negative Content-Length", bytes("POST /api/quotes HTTP/1.1\r\n" + HEADERS + "Content-Length: -1\r\n\r\n"), 400),
                Arguments.of("non-numeric Content-Length", bytes("POST /api/quotes HTTP/1.1\r\n" + HEADERS + "Content-Length: abc\r\n\r\n"), 400),
                Arguments.of("two Content-Lengths", bytes("POST /api/quotes HTTP/1.1\r\n" + HEADERS
                        + "Content-Length: 2\r\nContent-Length: 5\r\n\r\n{}"), 400),
                Arguments.of("Content-Length with Transfer-Encoding (smuggling)", bytes("POST /api/quotes HTTP/1.1\r\n" + HEADERS
                        + "Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"), 400),
                Arguments.of("header line without a colon", bytes("GET /api/products HTTP/1.1\r\n" + HEADERS + "NoColon\r\n\r\n"), 400),
                Arguments.of("space in a header name", bytes("GET /api/products HTTP/1.1\r\n" + HEADERS + "Bad Header: x\r\n\r\n"), 400),
                Arguments.of("headers of 30 KB", bytes("GET /api/products HTTP/1.1\r\n" + HEADERS + "X-Big: " + "a".repeat(30_000) + "\r\n\r\n"), 431),
                Arguments.of("not HTTP at all", bytes("HELLO\r\n\r\n"), 400));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedByTheHttpParser")
    void isRefusedByTheHttpParser(String name, byte[] request, int status) throws Exception {
        Answer answer = send(request, 0, 0);
        assertEquals(status, answer.status(), name + ":\n" + answer.text());
        assertNoInternals(answer);
    }

    @Test
    void aBodyThatStallsIsA408AndTheConnectionIsClosed() throws Exception {
        byte[] request = bytes("POST /api/quotes HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: 40\r\n\r\n{\"ite");
        Answer answer = send(request, 0, 0);
        assertEquals(408, answer.status(), answer.text());
        assertTrue(answer.header("content-type").startsWith("application/problem+json"), answer.text());
    }

    @Test
    void aBodyTrickledOverTwoSecondsIsStillServed() throws Exception {
        byte[] body = BASKET.getBytes(StandardCharsets.US_ASCII);
        byte[] request = postBytes(body);
        Answer answer = send(request, request.length - body.length, 2_000 / body.length);
        assertEquals(200, answer.status(), answer.text());
        assertTrue(answer.body().contains("\"totalCents\":1450"), answer.text());
    }

    @AfterAll
    static void theServicesStillAnswerNormally() {
        given().baseUri(LocalTopology.PAGE).get("/api/products").then().statusCode(200);
        given().baseUri(LocalTopology.PAGE).contentType("application/json").body(BASKET).post("/api/quotes")
                .then().statusCode(200).body("totalCents", equalTo(1_450));
        given().baseUri(LocalTopology.PAGE).get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    private static void assertNoInternals(Answer answer) {
        assertFalse(answer.status() >= 500, answer.text());
        for (String internal : new String[] {"Exception", "\tat ", "org.acme.fargate", "io.vertx", "stack"}) {
            assertFalse(answer.text().contains(internal), "leaks " + internal + ":\n" + answer.text());
        }
    }

    // --- requests, written by hand on purpose: HTTP clients refuse to send most of these -------------------

    private static Arguments problem(String name, String request, int status) {
        return Arguments.of(name, bytes(request), status);
    }

    private static Arguments problem(String name, byte[] request, int status) {
        return Arguments.of(name, request, status);
    }

    private static String get(String target) {
        return get(target, "");
    }

    private static String get(String target, String extraHeaders) {
        return "GET " + target + " HTTP/1.1\r\n" + HEADERS + extraHeaders + "\r\n";
    }

    private static String withEmptyBody(String method, String path) {
        return method + " " + path + " HTTP/1.1\r\n" + HEADERS + "Content-Length: 0\r\n\r\n";
    }

    private static String post(String json) {
        return post(json, "application/json", "");
    }

    private static String post(String body, String contentType, String extraHeaders) {
        return "POST /api/quotes HTTP/1.1\r\n" + HEADERS + "Content-Type: " + contentType + "\r\n" + extraHeaders
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    private static byte[] postBytes(byte[] body) {
        byte[] head = bytes("POST /api/quotes HTTP/1.1\r\n" + HEADERS + "Content-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n");
        byte[] request = new byte[head.length + body.length];
        System.arraycopy(head, 0, request, 0, head.length);
        System.arraycopy(body, 0, request, head.length, body.length);
        return request;
    }

    /** Every char below 256 as that one byte (raw 8-bit paths); text beyond Latin-1 as UTF-8. */
    private static byte[] bytes(String request) {
        boolean latin1 = request.chars().allMatch(c -> c < 0x100);
        return request.getBytes(latin1 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
    }

    private static InetSocketAddress sidecar;

    /** The sidecar itself, past the load balancer: what it does with what the ALB would forward. */
    private static synchronized InetSocketAddress sidecar() throws Exception {
        if (sidecar == null) {
            sidecar = LocalTopology.sidecar();
        }
        return sidecar;
    }

    /** Sends the request (the bytes after {@code slowFrom} one at a time, {@code pauseMs} apart) and reads to the end. */
    private static Answer send(byte[] request, int slowFrom, long pauseMs) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(sidecar(), 5_000);
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            if (pauseMs == 0) {
                out.write(request);
            } else {
                out.write(request, 0, slowFrom);
                for (int i = slowFrom; i < request.length; i++) {
                    out.flush();
                    Thread.sleep(pauseMs);
                    out.write(request[i]);
                }
            }
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            try {
                in.transferTo(received);
            } catch (java.net.SocketException resetAfterTheAnswer) {
                // The server may reset the connection after answering, when unread request bytes remain.
            }
            return new Answer(received.toString(StandardCharsets.ISO_8859_1));
        }
    }

    record Answer(String text) {
        int status() {
            String[] statusLine = text.split("\r\n", 2)[0].split(" ");
            return statusLine.length > 1 ? Integer.parseInt(statusLine[1]) : -1;
        }

        String header(String name) {
            return text.split("\r\n\r\n", 2)[0].lines().filter(line -> line.toLowerCase().startsWith(name + ":"))
                    .map(line -> line.substring(name.length() + 1).trim()).findFirst().orElse("");
        }

        String body() {
            String[] parts = text.split("\r\n\r\n", 2);
            return parts.length > 1 ? parts[1] : "";
        }
    }
}
