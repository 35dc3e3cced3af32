package org.acme.fargate.sidecar;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * The sidecar is ready only when it can proxy: the ALB health-checks the sidecar's port, so this is how a
 * half-started task, or one whose proxy cannot get a connection to service-a, stays out of the target group.
 * The probe takes the proxy's own path (its pool, its wait bound), so it fails exactly when users' requests
 * would. It says nothing else: this endpoint is public, and service-a's address or error text is not.
 */
@Readiness
@ApplicationScoped
public class BackendReadiness implements AsyncHealthCheck {

    private final ApiProxy proxy;

    BackendReadiness(ApiProxy proxy) {
        this.proxy = proxy;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return Uni.createFrom().completionStage(() -> proxy.probeBackend().toCompletionStage())
                .map(ready -> HealthCheckResponse.named("api").status(ready).build())
                .onFailure().recoverWithItem(failure -> HealthCheckResponse.named("api").down().build());
    }
}
