package org.acme.fargate.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Names the trace of every answer in a {@code traceresponse} header (W3C Trace Context Level 2), so that the page,
 * curl or a test can look the request up in the trace viewer. The sidecar's value replaces the one it relays from
 * service-a: both name the same trace, the sidecar's span is its root.
 */
@Singleton
public class TraceResponseFilter {

    static final String HEADER = "traceresponse";

    void register(@Observes Filters filters, @ConfigProperty(name = "quarkus.otel.sdk.disabled") boolean sdkDisabled) {
        if (sdkDisabled) {
            return; // no span is ever valid: nothing to name, and a proxy should not look on every request
        }
        filters.register(rc -> {
            SpanContext span = Span.current().getSpanContext();
            if (span.isValid()) {
                String value = "00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getTraceFlags().asHex();
                rc.addHeadersEndHandler(ignored -> rc.response().headers().set(HEADER, value));
            }
            rc.next();
        }, Integer.MAX_VALUE);
    }
}
