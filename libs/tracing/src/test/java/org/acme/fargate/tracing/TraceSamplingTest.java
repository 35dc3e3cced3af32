package org.acme.fargate.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The samplers of {@code tracing.sampler}, deciding as the SDK asks them to, and X-Ray's remote sampler against a
 * stand-in for the collector's proxy of X-Ray's sampling API (its paths and JSON, as the awsproxy extension forwards
 * them to X-Ray).
 */
class TraceSamplingTest {

    private final TraceSampling sampling = new TraceSampling();
    private HttpServer collector;
    private final List<String> calls = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        sampling.stopPolling();
        if (collector != null) {
            collector.stop(0);
        }
    }

    @Test
    void aRequestInATraceFollowsItsCallersDecision() {
        Sampler follower = sampling.sampler(config("ratio", 0.0, "unused"), "service-b");
        assertEquals(SamplingDecision.RECORD_AND_SAMPLE, decide(follower, remoteParent(true)));
        Sampler always = sampling.sampler(config("always", 1.0, "unused"), "service-b");
        assertEquals(SamplingDecision.DROP, decide(always, remoteParent(false)), "a trace is whole, or not at all");
    }

    @Test
    void aRatioKeepsThatShareOfTheTraces() {
        Sampler quarter = sampling.sampler(config("ratio", 0.25, "unused"), "frontend-sidecar");
        long sampled = rootDecisions(quarter, 4000).stream().filter(SamplingDecision.RECORD_AND_SAMPLE::equals).count();
        assertTrue(sampled > 800 && sampled < 1200, sampled + " of 4000");
    }

    @Test
    void xraysRulesAreReadThroughTheCollectorAndApplied() throws Exception {
        startCollector(0.0);
        Sampler xray = sampling.sampler(config("xray", 0.0, endpoint()), "frontend-sidecar");
        awaitRulesRead();
        // The rule keeps nothing: once it is read, no request is traced (X-Ray's default would keep the first each second).
        Thread.sleep(200);
        assertTrue(rootDecisions(xray, 200).stream().allMatch(SamplingDecision.DROP::equals));
        assertTrue(calls.get(0).startsWith("POST /GetSamplingRules "), calls.toString());
    }

    @Test
    void withoutACollectorItAppliesXraysDefaultRuleTheFirstEachSecondAndFivePercent() throws Exception {
        Sampler xray = sampling.sampler(config("xray", 0.0, "http://127.0.0.1:" + freePort()), "frontend-sidecar");
        List<SamplingDecision> decisions = rootDecisions(xray, 2000);
        long sampled = decisions.stream().filter(SamplingDecision.RECORD_AND_SAMPLE::equals).count();
        assertEquals(SamplingDecision.RECORD_AND_SAMPLE, decisions.get(0), "the first request of the second");
        assertTrue(sampled >= 60 && sampled <= 180, sampled + " of 2000: one a second and 5 % of the rest");
    }

    private void startCollector(double fixedRate) throws IOException {
        collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        collector.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            calls.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " " + body);
            String answer = switch (exchange.getRequestURI().getPath()) {
                case "/GetSamplingRules" -> """
                        {"SamplingRuleRecords":[{"CreatedAt":1.7e9,"ModifiedAt":1.7e9,"SamplingRule":{"RuleName":"keep-none",
                        "RuleARN":"arn:aws:xray:eu-west-1:123456789012:sampling-rule/keep-none","ResourceARN":"*","Priority":1,
                        "FixedRate":%s,"ReservoirSize":0,"ServiceName":"*","ServiceType":"*","Host":"*","HTTPMethod":"*",
                        "URLPath":"*","Version":1,"Attributes":{}}}]}""".formatted(fixedRate);
                case "/SamplingTargets" -> "{\"SamplingTargetDocuments\":[],\"LastRuleModification\":1.7e9,\"UnprocessedStatistics\":[]}";
                default -> null;
            };
            byte[] bytes = (answer == null ? "{}" : answer).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer == null ? 404 : 200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        collector.start();
    }

    private String endpoint() {
        return "http://127.0.0.1:" + collector.getAddress().getPort();
    }

    private void awaitRulesRead() throws InterruptedException {
        for (int i = 0; i < 100 && calls.stream().noneMatch(call -> call.startsWith("POST /GetSamplingRules")); i++) {
            Thread.sleep(50);
        }
        assertTrue(calls.stream().anyMatch(call -> call.startsWith("POST /GetSamplingRules")), "the sampler asked the collector");
    }

    private static List<SamplingDecision> rootDecisions(Sampler sampler, int count) {
        return java.util.stream.IntStream.range(0, count).mapToObj(i -> decide(sampler, Context.root())).toList();
    }

    private static SamplingDecision decide(Sampler sampler, Context parent) {
        String traceId = Span.fromContext(parent).getSpanContext().isValid()
                ? Span.fromContext(parent).getSpanContext().getTraceId() : IdGenerator.random().generateTraceId();
        return sampler.shouldSample(parent, traceId, "POST /api/quotes", SpanKind.SERVER, Attributes.empty(), List.of()).getDecision();
    }

    /** A request that came with a traceparent: its caller's decision in the flags. */
    private static Context remoteParent(boolean sampled) {
        IdGenerator ids = IdGenerator.random();
        return Context.root().with(Span.wrap(SpanContext.createFromRemoteParent(ids.generateTraceId(), ids.generateSpanId(),
                sampled ? TraceFlags.getSampled() : TraceFlags.getDefault(), TraceState.getDefault())));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static TracingConfig config(String sampler, double ratio, String xrayEndpoint) {
        return new TestTracingConfig(sampler, ratio, false, xrayEndpoint);
    }
}
