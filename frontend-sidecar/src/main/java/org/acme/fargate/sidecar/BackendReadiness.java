package org.acme.fargate.sidecar;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * The sidecar is ready only when service-a, behind it, is ready: the ALB health-checks the sidecar's
 * port, so this is how a half-started task stays out of the target group. It has its own small client
 * so that health checks never queue behind user traffic.
 */
@Readiness
@ApplicationScoped
public class BackendReadiness implements AsyncHealthCheck {

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    private final HttpClient client;
    private final RequestOptions probe;

    BackendReadiness(Vertx vertx, SidecarConfig config) {
        SidecarConfig.Backend backend = config.backend();
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) PROBE_TIMEOUT.toMillis()).setMaxPoolSize(1));
        this.probe = new RequestOptions().setMethod(HttpMethod.GET).setHost(backend.host()).setPort(backend.port())
                .setURI(backend.readinessPath()).setIdleTimeout(PROBE_TIMEOUT.toMillis());
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        String target = probe.getHost() + ":" + probe.getPort() + probe.getURI();
        return Uni.createFrom().completionStage(() -> client.request(probe)
                        .compose(request -> request.send())
                        .compose(response -> response.body().map(body -> response.statusCode()))
                        .toCompletionStage())
                .map(status -> HealthCheckResponse.named("service-a").status(status == 200)
                        .withData("backend", target).withData("status", status).build())
                .onFailure().recoverWithItem(failure -> HealthCheckResponse.named("service-a").down()
                        .withData("backend", target).withData("error", String.valueOf(failure.getMessage())).build());
    }
}
