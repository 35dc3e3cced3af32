package org.acme.fargate.tracing;

import io.opentelemetry.contrib.awsxray.AwsXrayIdGenerator;
import io.opentelemetry.exporter.zipkin.ZipkinSpanExporter;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.quarkus.arc.lookup.LookupIfProperty;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Where spans go, and how their ids look; Quarkus's OpenTelemetry extension does the rest.
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
    SpanExporter zipkinViewer(@ConfigProperty(name = "tracing.zipkin.endpoint") String endpoint) {
        return ZipkinSpanExporter.builder().setEndpoint(endpoint).build();
    }
}
