package org.acme.fargate.tracing;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.contrib.awsxray.AwsXrayRemoteSampler;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import io.opentelemetry.semconv.ServiceAttributes;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Which requests are traced (Quarkus's OpenTelemetry extension takes a {@link Sampler} bean over its own setting).
 * Only the entry point decides: the sidecar ({@code tracing.entry-point=true}) applies the root sampler to every
 * request, whatever sampled flag a client sent (a client that set it on every request would otherwise trace them
 * all); every other service follows its caller's decision, so a trace is always whole, and applies the root
 * sampler only to a request that arrives with no trace at all (a direct call, in a test).
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
        if (config.entryPoint()) {
            Sampler decidesAlone = new DecidesAlone(root);
            return Sampler.parentBasedBuilder(root).setRemoteParentSampled(decidesAlone).setRemoteParentNotSampled(decidesAlone).build();
        }
        return Sampler.parentBased(root);
    }

    /**
     * The root sampler's decision for a request that came with a client's traceparent, as if it had come with none:
     * the trace id stays the client's, the decision is ours. Written by hand: the SDK's parent-based sampler follows a
     * remote parent, which is right between our services and wrong at the door.
     */
    private record DecidesAlone(Sampler root) implements Sampler {

        @Override
        public SamplingResult shouldSample(Context parent, String traceId, String name, SpanKind kind, Attributes attributes,
                List<LinkData> links) {
            return root.shouldSample(Context.root(), traceId, name, kind, attributes, links);
        }

        @Override
        public String getDescription() {
            return "DecidesAlone{" + root.getDescription() + "}";
        }
    }

    @PreDestroy
    void stopPolling() {
        if (remote != null) {
            remote.close();
        }
    }
}
