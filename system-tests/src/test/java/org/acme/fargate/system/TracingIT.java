package org.acme.fargate.system;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * {@code ./run-local.sh --traces}: one trace per request across the sidecar, service-a and service-b, read back
 * through the trace viewer's own HTTP API (Zipkin's {@code /api/v2/trace/{id}}), and found in every service's logs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TracingIT {

    private static final String VIEWER = "http://127.0.0.1:9411";
    private static final String QUOTE = "{\"items\":[{\"sku\":\"TEA-001\",\"quantity\":2}]}";

    /** docs/observability.md's guide: its first command starts this class's topology, its last stops it. */
    private static GuideBlock guide;

    @BeforeAll
    static void startWithTracesAsTheGuideDoes() throws Exception {
        guide = GuideBlock.of("docs/observability.md", "--traces");
        assertEquals("./run-local.sh --traces --detach", guide.commands().get(0), "two service-b tasks, the default");
        LocalTopology.runLocal("stop");
        guide.start();
    }

    @AfterAll
    static void stop() throws Exception {
        LocalTopology.runLocal("stop");
    }

    @Test
    @Order(1)
    void aQuoteIsOneTraceFromTheSidecarThroughServiceAToServiceB() throws Exception {
        String traceId = traceIdOf(quote());
        List<Map<String, Object>> spans = awaitTrace(traceId, trace -> has(trace, "service-b", "SERVER"));

        Map<String, Object> root = only(spans, span -> span.get("parentId") == null);
        assertEquals("frontend-sidecar", service(root), "the sidecar's server span is the root: " + spans);
        assertEquals("SERVER", root.get("kind"));
        Map<String, Object> proxied = only(spans, span -> "frontend-sidecar".equals(service(span)) && "CLIENT".equals(span.get("kind")));
        assertEquals(root.get("id"), proxied.get("parentId"), "the proxying is a child of the sidecar's request");
        Map<String, Object> serviceA = only(spans, span -> "service-a".equals(service(span)) && "SERVER".equals(span.get("kind")));
        assertEquals(proxied.get("id"), serviceA.get("parentId"), "service-a's request is the sidecar's call");
        Map<String, Object> serviceB = only(spans, span -> "service-b".equals(service(span)) && "SERVER".equals(span.get("kind")));
        Map<String, Object> call = byId(spans, (String) serviceB.get("parentId"));
        assertEquals("service-a", service(call));
        assertEquals("CLIENT", call.get("kind"), "service-b's request is a client span of service-a");
        assertTrue(isDescendant(spans, call, serviceA), "service-a's call to service-b belongs to its request");
        assertEquals("dns", tags(call).get("service_b.discovery"), "the discovery mode is on service-a's spans");
    }

    @Test
    @Order(2)
    void theGuidesCommandsWorkAsWritten() throws Exception {
        String printed = guide.runMiddle();
        String traceId = printed.lines().filter(line -> line.startsWith("trace ")).findFirst().orElseThrow().substring(6);
        assertTrue(traceId.matches("[0-9a-f]{32}"), printed);
        for (String span : List.of("frontend-sidecar SERVER", "frontend-sidecar CLIENT", "service-a SERVER", "service-a INTERNAL", "service-a CLIENT", "service-b SERVER")) {
            assertTrue(printed.lines().anyMatch(line -> line.startsWith(span + " ")), span + " in: " + printed);
        }
        assertEquals(3, printed.lines().filter(line -> line.contains(traceId) && line.contains("LoggerHandler")).count(),
                "one access-log line per container: " + printed);
    }

    @Test
    @Order(3)
    void aRetryOnAnotherInstanceIsTwoAttemptsInOneTrace() throws Exception {
        // Killed, not deregistered: Cloud Map still lists it, as for a task that has just died.
        ProcessHandle dead = LocalTopology.process("service-b-2");
        String deadAddress = JsonPath.from(LocalTopology.runLocal("status", "--json"))
                .getString("processes.find { it.name == 'service-b-2' }.address");
        String deadPort = deadAddress.substring(deadAddress.lastIndexOf(':') + 1);
        dead.destroyForcibly();
        dead.onExit().get();
        for (int attempt = 0; attempt < 10; attempt++) {
            Response answer = quote();
            assertEquals(200, answer.statusCode(), "the retry hides the dead instance from the user");
            String traceId = traceIdOf(answer);
            List<Map<String, Object>> spans = awaitTrace(traceId, trace -> has(trace, "service-b", "SERVER"));
            List<Map<String, Object>> attempts = spans.stream()
                    .filter(span -> "service-a".equals(service(span)) && String.valueOf(span.get("name")).endsWith(" attempt")).toList();
            if (attempts.size() < 2) {
                continue; // round-robin picked the live instance first: no retry in this one
            }
            assertEquals(2, attempts.size(), "one failed attempt, one that reached the live instance: " + attempts);
            Map<String, Object> serviceA = only(spans, span -> "service-a".equals(service(span)) && "SERVER".equals(span.get("kind")));
            attempts.forEach(each -> assertEquals(serviceA.get("id"), each.get("parentId"), "both attempts are service-a's request's"));
            Map<String, Object> failed = only(attempts, each -> tags(each).containsKey("error"));
            assertTrue(tags(failed).get("error").contains("Connection refused") && tags(failed).get("error").contains(":" + deadPort),
                    "the failed attempt names the dead instance (port " + deadPort + "): " + failed);
            Map<String, Object> served = only(attempts, each -> !tags(each).containsKey("error"));
            Map<String, Object> call = only(spans, span -> served.get("id").equals(span.get("parentId")));
            assertEquals("CLIENT", call.get("kind"));
            assertFalse(tags(call).get("url.full").contains(":" + deadPort + "/"), "the retry went to another instance: " + call);
            assertEquals("dns", tags(call).get("service_b.discovery"), "each call names the discovery mode");
            assertEquals(call.get("id"), only(spans, span -> "service-b".equals(service(span))
                    && "SERVER".equals(span.get("kind"))).get("parentId"), "service-b served the second attempt");
            return;
        }
        throw new AssertionError("no request in 10 met the dead instance");
    }

    @Test
    @Order(4)
    void everyServiceLogsTheRequestWithItsTraceId() throws Exception {
        String traceId = traceIdOf(quote());
        awaitTrace(traceId, trace -> has(trace, "service-b", "SERVER"));
        for (String log : List.of("frontend-sidecar-1", "service-a-1", "service-b-1")) {
            String lines = logOf(log);
            assertTrue(lines.lines().anyMatch(line -> line.contains(traceId)), log + " has a line with trace " + traceId);
        }
    }

    @Test
    @Order(5)
    void thePageShowsTheTraceOfTheRequestItDrew() throws Exception {
        ChromeDriver browser = PageIT.headlessChromium();
        try {
            PageIT.openThePage(browser, LocalTopology.PAGE); // which draws its first request's path, and its trace
            String shown = browser.findElement(By.id("trace-id")).getText();
            String traceId = shown.replace("trace ", "");
            assertTrue(traceId.matches("[0-9a-f]{32}"), shown);
            assertEquals(List.of(), PageIT.partsMovedWhileLoading(browser, "products", "basket"), "the trace id's line has its place");
            List<Map<String, Object>> spans = awaitTrace(traceId, trace -> has(trace, "frontend-sidecar", "SERVER"));
            assertEquals("frontend-sidecar", service(only(spans, span -> span.get("parentId") == null)));
        } finally {
            browser.quit();
        }
    }

    @Test
    @Order(6)
    void theSidecarAloneDecidesAndAnUnsampledRequestLeavesNoSpanAnywhere() throws Exception {
        // The sidecar samples half the traces; service-a and service-b keep run-local's "always" and follow it. The
        // sidecar also writes no access-log line, as on AWS unless asked for; service-a keeps --traces's.
        LocalTopology.runLocal("deploy", "web", "--env", "frontend-sidecar:TRACING_SAMPLER=ratio",
                "--env", "frontend-sidecar:TRACING_SAMPLER_RATIO=0.5", "--env", "frontend-sidecar:TRACING_ACCESS_LOG=false");
        Map<String, Boolean> sampled = new java.util.LinkedHashMap<>();
        java.util.Random random = new java.util.Random();
        for (int i = 0; i < 16; i++) {
            // Every client asks for a trace: the sidecar decides anyway.
            String asked = String.format("00-%016x%016x-%016x-01", random.nextLong(), random.nextLong(), random.nextLong());
            Response answer = given().baseUri(LocalTopology.PAGE).header("traceparent", asked).contentType("application/json")
                    .body(QUOTE).post("/api/quotes");
            String[] traceresponse = answer.header("traceresponse").split("-");
            sampled.put(traceresponse[1], traceresponse[3].equals("01"));
        }
        assertTrue(sampled.containsValue(true) && sampled.containsValue(false), "about half of 16 sampled: " + sampled);
        for (Map.Entry<String, Boolean> trace : sampled.entrySet()) {
            if (trace.getValue()) {
                awaitTrace(trace.getKey(), spans -> has(spans, "frontend-sidecar", "SERVER") && has(spans, "service-a", "SERVER")
                        && has(spans, "service-b", "SERVER"));
            }
        }
        // Wait on state, not time: each service exports its spans in the order they end, so once a trace begun after
        // all of these is whole in the viewer, every service has sent whatever it had of the unsampled ones.
        String marker = null;
        for (int i = 0; i < 40 && marker == null; i++) {
            String[] traceresponse = given().baseUri(LocalTopology.PAGE).contentType("application/json").body(QUOTE)
                    .post("/api/quotes").header("traceresponse").split("-");
            marker = traceresponse[3].equals("01") ? traceresponse[1] : null;
        }
        assertNotNull(marker, "one of 40 requests sampled at half the traces");
        awaitTrace(marker, spans -> has(spans, "frontend-sidecar", "SERVER") && has(spans, "service-a", "SERVER")
                && has(spans, "service-b", "SERVER"));
        for (Map.Entry<String, Boolean> trace : sampled.entrySet()) {
            if (!trace.getValue()) {
                assertEquals(404, given().baseUri(VIEWER).get("/api/v2/trace/" + trace.getKey()).statusCode(),
                        "no service exported a span of unsampled trace " + trace.getKey());
            }
        }
        String task = JsonPath.from(LocalTopology.runLocal("status", "--json"))
                .getString("processes.find { it.name.startsWith('frontend-sidecar-') }.name").substring("frontend-sidecar-".length());
        String sidecarLog = logOf("frontend-sidecar-" + task);
        String serviceALog = logOf("service-a-" + task);
        assertTrue(serviceALog.contains(marker) && serviceALog.contains("LoggerHandler"), "service-a logged the sampled request");
        assertFalse(sidecarLog.contains("LoggerHandler"), "TRACING_ACCESS_LOG=false: no access-log line in the sidecar's log");

        ChromeDriver browser = PageIT.headlessChromium();
        try {
            browser.get(LocalTopology.PAGE);
            String shown = "";
            for (int click = 0; click < 20 && !shown.contains("not sampled"); click++) {
                browser.findElement(By.id("trace")).click();
                Thread.sleep(300);
                shown = browser.findElement(By.id("trace-id")).getText();
            }
            assertTrue(shown.matches("trace [0-9a-f]{32}: not sampled .*"), "the page says a request was not traced: " + shown);
        } finally {
            browser.quit();
        }
    }

    @Test
    @Order(7)
    void theGuidesLastCommandStopsEverything() throws Exception {
        guide.stop();
        assertFalse(LocalTopology.isUp(), "the guide ends with stop");
    }

    private static Response quote() {
        return given().baseUri(LocalTopology.PAGE).contentType("application/json").body(QUOTE).post("/api/quotes");
    }

    /** The trace id in W3C Trace Context Level 2's traceresponse header: version-traceid-spanid-flags. */
    private static String traceIdOf(Response answer) {
        assertEquals(200, answer.statusCode(), answer.asString());
        String header = answer.header("traceresponse");
        assertNotNull(header, "the answer names its trace");
        String traceId = header.split("-")[1];
        // AWS X-Ray's trace ids begin with the start time in seconds (AwsXrayIdGenerator).
        long started = Long.parseLong(traceId.substring(0, 8), 16);
        assertTrue(Math.abs(started - System.currentTimeMillis() / 1000) < 300, "an X-Ray trace id: " + traceId);
        return traceId;
    }

    /**
     * The trace's spans once the viewer has what {@code wanted} asks for and the trace is whole: its root, and the
     * parent of every span. Each service sends its spans in its own batches, every few seconds, so one service's
     * spans of a trace can be in the viewer well before another's.
     */
    private static List<Map<String, Object>> awaitTrace(String traceId, Predicate<List<Map<String, Object>>> wanted)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<Map<String, Object>> spans = List.of();
        while (System.nanoTime() < deadline) {
            Response answer = given().baseUri(VIEWER).get("/api/v2/trace/" + traceId);
            if (answer.statusCode() == 200) {
                spans = JsonPath.from(answer.asString()).getList("$");
                if (wanted.test(spans) && isWhole(spans)) {
                    return spans;
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError("trace " + traceId + " never complete in the viewer: " + spans);
    }

    private static boolean isWhole(List<Map<String, Object>> spans) {
        return spans.stream().anyMatch(span -> span.get("parentId") == null)
                && spans.stream().allMatch(span -> span.get("parentId") == null || byIdOrNull(spans, (String) span.get("parentId")) != null);
    }

    private static boolean has(List<Map<String, Object>> spans, String service, String kind) {
        return spans.stream().anyMatch(span -> service.equals(service(span)) && kind.equals(span.get("kind")));
    }

    @SuppressWarnings("unchecked")
    private static String service(Map<String, Object> span) {
        return (String) ((Map<String, Object>) span.get("localEndpoint")).get("serviceName");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> tags(Map<String, Object> span) {
        return span.containsKey("tags") ? (Map<String, String>) span.get("tags") : Map.of();
    }

    private static Map<String, Object> only(List<Map<String, Object>> spans, Predicate<Map<String, Object>> which) {
        List<Map<String, Object>> found = spans.stream().filter(which).collect(Collectors.toList());
        assertEquals(1, found.size(), "exactly one such span in " + spans);
        return found.get(0);
    }

    private static Map<String, Object> byId(List<Map<String, Object>> spans, String id) {
        Map<String, Object> span = byIdOrNull(spans, id);
        assertNotNull(span, "span " + id + " in " + spans);
        return span;
    }

    private static Map<String, Object> byIdOrNull(List<Map<String, Object>> spans, String id) {
        return spans.stream().filter(span -> span.get("id").equals(id)).findFirst().orElse(null);
    }

    private static boolean isDescendant(List<Map<String, Object>> spans, Map<String, Object> span, Map<String, Object> ancestor) {
        Map<String, Object> current = span;
        while (current != null && current.get("parentId") != null) {
            if (current.get("parentId").equals(ancestor.get("id"))) {
                return true;
            }
            current = byIdOrNull(spans, (String) current.get("parentId"));
        }
        return false;
    }

    /** What a process of the topology has logged so far (run-local.sh writes each one's output to .local/logs). */
    private static String logOf(String process) throws java.io.IOException {
        return Files.readString(LocalTopology.ROOT.resolve(".local/logs/" + process + ".log"));
    }
}
