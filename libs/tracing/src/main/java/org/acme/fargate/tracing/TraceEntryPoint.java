package org.acme.fargate.tracing;

import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.quarkus.opentelemetry.runtime.propagation.TextMapPropagatorCustomizer;
import jakarta.inject.Singleton;
import java.util.Collection;

/**
 * Where requests come in ({@code tracing.entry-point=true}: the sidecar), every request starts a trace of its own: a
 * client's {@code traceparent}, {@code tracestate} or {@code baggage} is not read, only written on the calls the
 * service makes. So the sidecar's server span is the root of every trace, the sampler decides there as for a request
 * with no trace at all, and a client can neither force a trace (a sampled flag on every request) nor hang ours under
 * a span of its own. Between the services, trace context is read as usual: service-a and service-b follow the
 * sidecar's decision.
 */
@Singleton
public class TraceEntryPoint implements TextMapPropagatorCustomizer {

    private final boolean entryPoint;

    TraceEntryPoint(TracingConfig config) {
        this.entryPoint = config.entryPoint();
    }

    @Override
    public TextMapPropagator customize(TextMapPropagatorCustomizer.Context context) {
        TextMapPropagator propagator = context.propagator();
        return entryPoint ? new WritesOnly(propagator) : propagator;
    }

    /** A propagator that writes its headers on outgoing calls and reads none from incoming requests. */
    record WritesOnly(TextMapPropagator propagator) implements TextMapPropagator {

        @Override
        public Collection<String> fields() {
            return propagator.fields();
        }

        @Override
        public <C> void inject(io.opentelemetry.context.Context context, C carrier, TextMapSetter<C> setter) {
            propagator.inject(context, carrier, setter);
        }

        @Override
        public <C> io.opentelemetry.context.Context extract(io.opentelemetry.context.Context context, C carrier, TextMapGetter<C> getter) {
            return context;
        }
    }
}
