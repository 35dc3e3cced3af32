package org.acme.fargate.tracing;

import java.util.Map;

/** The tracing layer's settings as a test chooses them: the sampler's, the entry point's, the rest unused. */
record TestTracingConfig(String sampler, double samplerRatio, boolean entryPoint, String xraySamplingEndpoint) implements TracingConfig {

    @Override
    public String exporter() {
        return "otlp";
    }

    @Override
    public String zipkinEndpoint() {
        return "unused";
    }

    @Override
    public Map<String, String> spanAttributes() {
        return Map.of();
    }

    @Override
    public Map<String, Boolean> sdkDisabled() {
        return Map.of();
    }

    @Override
    public boolean accessLog() {
        return false;
    }
}
