package org.acme.fargate.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.context.Context;
import io.opentelemetry.contrib.awsxray.AwsXrayIdGenerator;
import io.opentelemetry.exporter.zipkin.ZipkinSpanExporter;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.quarkus.arc.lookup.LookupIfProperty;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Map;

/**
 * Where spans go, how their ids look and what each says about its service; Quarkus's OpenTelemetry extension does
 * the rest.
 *
 * <p>In a task on AWS spans leave as OTLP for the collector container on the task's localhost (Quarkus's own
 * exporter, {@code quarkus.otel.exporter.otlp.endpoint}). Locally they go straight to Zipkin's server, the local
 * trace viewer, in Zipkin's format: Zipkin takes no OTLP. A {@link SpanExporter} bean replaces Quarkus's OTLP
 * exporter, so this one exists only while {@code tracing.exporter} is {@code zipkin}.
 */
@Singleton
public class TraceExport {

    /** The collector's X-Ray exporter turns these into X-Ray trace ids: the first 32 bits are the start time. */
    @Produces
    @Singleton
    IdGenerator xrayTraceIds() {
        return AwsXrayIdGenerator.getInstance();
    }

    @Produces
    @Singleton
    @LookupIfProperty(name = "tracing.exporter", stringValue = "zipkin")
    SpanExporter zipkinViewer(TracingConfig config) {
        return ZipkinSpanExporter.builder().setEndpoint(config.zipkinEndpoint()).build();
    }

    /**
     * {@code tracing.span-attributes} on every span, not only on the resource: Zipkin shows a resource's attributes
     * nowhere, and X-Ray indexes only span attributes.
     */
    @Produces
    @Singleton
    SpanProcessor spanAttributes(TracingConfig config) {
        Map<String, String> attributes = Map.copyOf(config.spanAttributes());
        return new SpanProcessor() {
            @Override
            public void onStart(Context parent, ReadWriteSpan span) {
                attributes.forEach((name, value) -> span.setAttribute(AttributeKey.stringKey(name), value));
            }

            @Override
            public boolean isStartRequired() {
                return !attributes.isEmpty();
            }

            @Override
            public void onEnd(ReadableSpan span) {
            }

            @Override
            public boolean isEndRequired() {
                return false;
            }
        };
    }
}
