package org.acme.fargate.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.quarkus.opentelemetry.runtime.propagation.TextMapPropagatorCustomizer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The entry point reads no client's trace context and still writes its own; the other services read it as usual. */
class TraceEntryPointTest {

    private static final TextMapPropagator W3C = TextMapPropagator.composite(W3CTraceContextPropagator.getInstance(),
            W3CBaggagePropagator.getInstance());
    private static final Map<String, String> CLIENT = Map.of("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "baggage", "user=alice");
    private static final TextMapGetter<Map<String, String>> GET = new TextMapGetter<>() {
        public Iterable<String> keys(Map<String, String> carrier) { return carrier.keySet(); }
        public String get(Map<String, String> carrier, String key) { return carrier == null ? null : carrier.get(key); }
    };

    @Test
    void theEntryPointStartsEveryRequestsTraceItselfAndStillSendsItsOwn() {
        TextMapPropagator entry = customized(true);
        Context read = entry.extract(Context.root(), CLIENT, GET);
        assertFalse(Span.fromContext(read).getSpanContext().isValid(), "a client's traceparent is not read");
        assertEquals(0, Baggage.fromContext(read).size(), "nor its baggage");

        SpanContext ours = SpanContext.create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", TraceFlags.getSampled(), TraceState.getDefault());
        Map<String, String> call = new HashMap<>();
        entry.inject(Context.root().with(Span.wrap(ours)), call, Map::put);
        assertEquals("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", call.get("traceparent"), "its calls carry its trace");
    }

    @Test
    void theOtherServicesFollowTheirCaller() {
        TextMapPropagator service = customized(false);
        assertSame(W3C, service);
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", Span.fromContext(service.extract(Context.root(), CLIENT, GET)).getSpanContext().getTraceId());
    }

    private static TextMapPropagator customized(boolean entryPoint) {
        return new TraceEntryPoint(new TestTracingConfig("always", 1.0, entryPoint, "unused")).customize(new TextMapPropagatorCustomizer.Context() {
            public TextMapPropagator propagator() { return W3C; }
            public ConfigProperties otelConfigProperties() { return null; }
        });
    }
}
