package org.acme.fargate.tracing;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.contrib.awsxray.AwsXrayRemoteSampler;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.semconv.ServiceAttributes;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Which requests are traced (Quarkus's OpenTelemetry extension takes a {@link Sampler} bean over its own setting).
 * Parent-based: a request that arrives in a trace follows its caller's decision, so a trace is always whole; the
 * sampler below decides only where a trace begins. That is the sidecar alone, which reads no client's trace context
 * ({@link TraceEntryPoint}); service-a and service-b apply it only to a call made straight to them (in a test).
 *
 * <ul>
 *   <li>{@code always}: every request (local runs, the tests).</li>
 *   <li>{@code ratio}: the fraction {@code tracing.sampler-ratio} of the traces, chosen by trace id.</li>
 *   <li>{@code xray}: X-Ray's sampling rules, set in the X-Ray console and read through the collector container
 *       (its {@code awsproxy} extension on the task's localhost:2000) by opentelemetry-java-contrib's remote sampler,
 *       which reports what it sampled so that a rule's rate holds across all tasks. Until the rules are read, or
 *       without a collector, it applies X-Ray's default rule: the first request each second and 5 % of the rest.</li>
 * </ul>
 */
@Singleton
public class TraceSampling {

    private AwsXrayRemoteSampler remote;

    @Produces
    @Singleton
    Sampler sampler(TracingConfig config, @ConfigProperty(name = "quarkus.application.name") String service) {
        Sampler root = switch (config.sampler()) {
            case "always" -> Sampler.alwaysOn();
            case "ratio" -> Sampler.traceIdRatioBased(config.samplerRatio());
            case "xray" -> remote = AwsXrayRemoteSampler.newBuilder(
                            Resource.getDefault().merge(Resource.create(Attributes.of(ServiceAttributes.SERVICE_NAME, service))))
                    .setEndpoint(config.xraySamplingEndpoint()).build();
            default -> throw new IllegalArgumentException("tracing.sampler (TRACING_SAMPLER) is always, ratio or xray, not " + config.sampler());
        };
        return Sampler.parentBased(root);
    }

    @PreDestroy
    void stopPolling() {
        if (remote != null) {
            remote.close();
        }
    }
}
