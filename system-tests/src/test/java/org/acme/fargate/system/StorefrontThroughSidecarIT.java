package org.acme.fargate.system;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The packaged apps as real processes: page → sidecar → localhost → service-a → service-b. */
@ExtendWith(LocalTopology.class)
@Order(LocalTopology.SHARED)
class StorefrontThroughSidecarIT {

    @BeforeAll
    static void throughTheSidecar() {
        RestAssured.baseURI = LocalTopology.PAGE;
    }

    @Test
    void aQuoteThroughTheSidecarIsPricedAndListsEveryHop() {
        Response quoted = given().contentType(ContentType.JSON)
                .body("{\"items\":[{\"sku\":\"TEA-001\",\"quantity\":12},{\"sku\":\"BRW-003\",\"quantity\":1}]}")
                .post("/api/quotes");
        quoted.then().statusCode(200).header("X-Request-Id", notNullValue()).body("totalCents", equalTo(21_030));
        JsonPath path = TracedPath.of(quoted);
        assertEquals(List.of("frontend-sidecar", "service-a", "service-b"), path.getList("container"));
        assertEquals(8000, path.getInt("[0].port"));
        assertEquals(8080, path.getInt("[1].port"));
        assertEquals("dns", path.getString("[1].discovery"));
        assertTrue(path.getDouble("[2].elapsedMs") > 0);
        // Each hop's time includes the hops after it.
        assertTrue(path.getDouble("[0].elapsedMs") >= path.getDouble("[1].elapsedMs"), path.prettify());
        assertTrue(path.getDouble("[1].elapsedMs") >= path.getDouble("[2].elapsedMs"), path.prettify());
    }

    /** The other side of TracingIT: this topology runs without --traces. */
    @Test
    void withoutTracesNoAnswerNamesATrace() {
        given().contentType(ContentType.JSON).body("{\"items\":[{\"sku\":\"TEA-001\",\"quantity\":2}]}").post("/api/quotes")
                .then().statusCode(200).header("traceresponse", nullValue());
    }

    @Test
    void requestsSpreadOverEveryServiceBInstance() {
        Map<String, Integer> served = new HashMap<>();
        for (int i = 0; i < 40; i++) {
            String task = TracedPath.of(LocalTopology.PAGE).getString("[2].taskId");
            served.merge(task, 1, Integer::sum);
        }
        assertEquals(2, served.size(), "both instances served: " + served);
        served.values().forEach(count -> assertTrue(count >= 8, "each instance took at least 20%: " + served));
    }

    static Stream<Arguments> badRequests() {
        String hundredAndOneLines = IntStream.range(0, 101).mapToObj(i -> "{\"sku\":\"S-" + i + "\",\"quantity\":1}")
                .collect(Collectors.joining(",", "{\"items\":[", "]}"));
        return Stream.of(
                Arguments.of("unknown SKU", "GET", "/api/products/NOPE-1", null, 404),
                Arguments.of("quote of an unknown SKU", "POST", "/api/quotes", "{\"items\":[{\"sku\":\"ZZZ-9\",\"quantity\":1}]}", 404),
                Arguments.of("quantity 0", "POST", "/api/quotes", "{\"items\":[{\"sku\":\"TEA-001\",\"quantity\":0}]}", 400),
                Arguments.of("quantity 1000", "POST", "/api/quotes", "{\"items\":[{\"sku\":\"TEA-001\",\"quantity\":1000}]}", 400),
                Arguments.of("fractional quantity", "POST", "/api/quotes", "{\"items\":[{\"sku\":\"TEA-001\",\"quantity\":1.5}]}", 400),
                Arguments.of("empty basket", "POST", "/api/quotes", "{\"items\":[]}", 400),
                Arguments.of("no items", "POST", "/api/quotes", "{}", 400),
                Arguments.of("101 lines", "POST", "/api/quotes", hundredAndOneLines, 400),
                Arguments.of("duplicate SKUs", "POST", "/api/quotes",
                        "{\"items\":[{\"sku\":\"TEA-001\",\"quantity\":1},{\"sku\":\"TEA-001\",\"quantity\":1}]}", 400),
                Arguments.of("malformed JSON", "POST", "/api/quotes", "{\"items\":[", 400),
                Arguments.of("unknown field", "POST", "/api/quotes", "{\"items\":[],\"coupon\":\"FREE\"}", 400),
                Arguments.of("empty body", "POST", "/api/quotes", "", 400),
                Arguments.of("body over 64 KiB", "POST", "/api/quotes", "{\"items\":\"" + "x".repeat(70_000) + "\"}", 413),
                Arguments.of("wrong method", "DELETE", "/api/quotes", null, 405),
                Arguments.of("unknown API path", "GET", "/api/nothing-here", null, 404),
                Arguments.of("unknown page path", "GET", "/admin", null, 404),
                Arguments.of("TRACE", "TRACE", "/api/products", null, 405));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badInputIsA4xxProblemThroughTheSidecar(String name, String method, String path, String body, int status) {
        var request = given();
        if (body != null) {
            request = request.contentType(ContentType.JSON).body(body);
        }
        request.request(method, path).then().statusCode(status).contentType("application/problem+json")
                .body("status", equalTo(status)).body("detail", notNullValue())
                .body(not(containsString("Exception")));
    }

    @Test
    void aWrongContentTypeIsA415Problem() {
        given().contentType(ContentType.TEXT).body("TEA-001").post("/api/quotes").then().statusCode(415)
                .contentType("application/problem+json");
    }

    @Test
    void requestsThatTryToLeaveTheApiAreRefused() throws Exception {
        for (String target : List.of("/api/../q/health/ready", "/api/%2e%2e/q/health", "/api/a%2fb",
                "http://169.254.169.254/latest/meta-data/")) {
            String response = raw("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            assertTrue(response.startsWith("HTTP/1.1 400") && response.contains("application/problem+json"),
                    target + " -> " + response);
        }
        String tunnel = raw("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\nConnection: close\r\n\r\n");
        assertTrue(tunnel.startsWith("HTTP/1.1 4"), tunnel);
        String chunked = raw("POST /api/quotes HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n2\r\n{}\r\n0\r\n\r\n");
        assertTrue(chunked.startsWith("HTTP/1.1 411") && chunked.contains("application/problem+json"), chunked);
    }

    @Test
    void theServicesStillAnswerNormallyAfterBadInput() {
        for (int i = 0; i < 3; i++) {
            given().contentType(ContentType.JSON).body("{\"items\":[").post("/api/quotes").then().statusCode(400);
        }
        given().get("/api/products").then().statusCode(200).body("size()", greaterThan(11));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    private static String raw(String request) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(LocalTopology.sidecar(), 5_000);
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
