package org.acme.fargate.warmup;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * DOWN while the service warms up, so that neither the load balancer nor a container that depends on this one sends
 * it traffic before its hot code is compiled; UP once it is over, or at once when there is no warm-up.
 */
@Readiness
@ApplicationScoped
public class WarmUpReadiness implements HealthCheck {

    private final SelfWarmUp warmUp;

    WarmUpReadiness(SelfWarmUp warmUp) {
        this.warmUp = warmUp;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("warm-up").status(warmUp.done())
                .withData("requests", warmUp.requestsSent()).withData("failed", warmUp.requestsFailed()).build();
    }
}
