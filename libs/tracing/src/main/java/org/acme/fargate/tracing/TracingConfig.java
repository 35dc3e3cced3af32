package org.acme.fargate.tracing;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
import java.util.Map;

/** The tracing layer's settings; defaults in META-INF/microprofile-config.properties. */
@ConfigMapping(prefix = "tracing")
public interface TracingConfig {

    /** none, otlp or zipkin: where spans go. */
    String exporter();

    /** The trace viewer's span API, for {@code exporter=zipkin}. */
    @WithName("zipkin.endpoint")
    String zipkinEndpoint();

    /** Written on every span this service starts: what a trace should say about it (service-a: its discovery mode). */
    Map<String, String> spanAttributes();

    /** Per exporter, whether the OpenTelemetry SDK is off (read by quarkus.otel.sdk.disabled). */
    Map<String, Boolean> sdkDisabled();

    /** always, ratio or xray: which requests are traced (TraceSampling). */
    String sampler();

    /** For {@code sampler=ratio}: the fraction of traces kept. */
    double samplerRatio();

    /** For {@code sampler=xray}: the collector's proxy of X-Ray's sampling API. */
    String xraySamplingEndpoint();

    /** Whether this service is where requests come in (the sidecar): it decides alone whether a request is traced. */
    boolean entryPoint();

    /** Whether each sampled request writes an access-log line (AccessLogFilter). */
    boolean accessLog();
}
