package org.acme.fargate.discovery;

import io.smallrye.stork.api.ServiceDiscovery;
import io.smallrye.stork.api.config.ServiceConfig;
import io.smallrye.stork.api.config.ServiceDiscoveryAttribute;
import io.smallrye.stork.api.config.ServiceDiscoveryType;
import io.smallrye.stork.spi.ServiceDiscoveryProvider;
import io.smallrye.stork.spi.StorkInfrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import org.acme.fargate.ecs.TaskIdentity;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryClient;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryClientBuilder;

/**
 * Stork service discovery through the AWS Cloud Map API ({@code DiscoverInstances}), selected with
 * {@code quarkus.stork.<service>.service-discovery.type=cloud-map}. Written here because no maintained
 * Stork (or Spring Cloud, or Micronaut) provider for Cloud Map exists.
 */
@ServiceDiscoveryType("cloud-map")
@ServiceDiscoveryAttribute(name = "namespace", description = "The Cloud Map namespace, e.g. shop.internal.", required = true)
@ServiceDiscoveryAttribute(name = "service", description = "The Cloud Map service name; defaults to the Stork service name.")
@ServiceDiscoveryAttribute(name = "region", description = "The AWS region; defaults to AWS_REGION, which ECS sets.")
@ServiceDiscoveryAttribute(name = "endpoint", description = "aws for the regional AWS endpoint, or an override such as http://127.0.0.1:7070 (cloudmap-local).", defaultValue = CloudMapServiceDiscoveryProvider.AWS_ENDPOINT)
@ServiceDiscoveryAttribute(name = "refresh-period", description = "How often the instance list may be refreshed: at most one API call per period.", defaultValue = "5S")
@ServiceDiscoveryAttribute(name = "availability-zone", description = "The AZ whose instances are preferred; defaults to this task's AZ.")
@ApplicationScoped
public class CloudMapServiceDiscoveryProvider implements ServiceDiscoveryProvider<CloudMapConfiguration> {

    static final String AWS_ENDPOINT = "aws";

    // Field injection: Stork's generated loader looks this bean up through CDI, or calls the no-arg constructor.
    @Inject
    TaskIdentity identity;

    @Override
    public ServiceDiscovery createServiceDiscovery(CloudMapConfiguration config, String serviceName,
            ServiceConfig serviceConfig, StorkInfrastructure infrastructure) {
        String cloudMapService = blankToNull(config.getService()) != null ? config.getService() : serviceName;
        String zone = blankToNull(config.getAvailabilityZone()) != null ? config.getAvailabilityZone()
                : identity != null ? identity.availabilityZone() : null;
        return new CloudMapServiceDiscovery(client(config), config.getNamespace(), cloudMapService, zone,
                Duration.parse("PT" + config.getRefreshPeriod()));
    }

    private static ServiceDiscoveryClient client(CloudMapConfiguration config) {
        String endpoint = blankToNull(config.getEndpoint());
        boolean overridden = endpoint != null && !endpoint.equals(AWS_ENDPOINT);
        ServiceDiscoveryClientBuilder builder = ServiceDiscoveryClient.builder()
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(2)).socketTimeout(Duration.ofSeconds(3)).build())
                .overrideConfiguration(c -> {
                    // No SDK retries: CloudMapServiceDiscovery backs off with jitter itself and keeps the last
                    // known list, and a request may be waiting for this call.
                    c.retryStrategy(DefaultRetryStrategy.doNotRetry());
                    // The SDK sends DiscoverInstances to "data-servicediscovery.<region>.amazonaws.com" by
                    // prefixing "data-" to the host. With an override that host is ours: only then drop it.
                    c.putAdvancedOption(SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, overridden);
                });
        String region = blankToNull(config.getRegion());
        if (region != null) {
            builder.region(Region.of(region));
        }
        if (overridden) {
            builder.endpointOverride(URI.create(endpoint)).credentialsProvider(AnonymousCredentialsProvider.create());
            if (region == null) {
                builder.region(Region.US_EAST_1);
            }
        }
        return builder.build();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
