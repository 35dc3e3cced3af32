package org.acme.fargate.discovery;

import io.smallrye.stork.api.ServiceDiscovery;
import io.smallrye.stork.api.config.ServiceConfig;
import io.smallrye.stork.api.config.ServiceDiscoveryAttribute;
import io.smallrye.stork.api.config.ServiceDiscoveryType;
import io.smallrye.stork.impl.CachingServiceDiscovery;
import io.smallrye.stork.servicediscovery.dns.DnsConfiguration;
import io.smallrye.stork.servicediscovery.dns.DnsServiceDiscoveryProvider;
import io.smallrye.stork.spi.ServiceDiscoveryProvider;
import io.smallrye.stork.spi.StorkInfrastructure;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Stork's DNS discovery, made to spread load when the records come from a Cloud Map service with
 * WEIGHTED routing. Selected with {@code SERVICE_B_DISCOVERY=dns}.
 *
 * <p>With WEIGHTED routing, Route 53 (and cloudmap-local) answers every query with <em>one</em> random
 * healthy instance. Stork's DNS discovery asks once per refresh, so for a whole refresh period every
 * request would go to that one instance. {@link SampledDnsServiceDiscovery} asks again when an answer
 * holds a single record and takes the union. Written here because Stork's DNS provider has no such
 * option; all DNS work (SRV, then A of each target, against the configured servers) stays Stork's.
 */
@ServiceDiscoveryType("dns-spread")
@ServiceDiscoveryAttribute(name = "hostname", description = "The name to query, e.g. service-b.shop.internal.", required = true)
@ServiceDiscoveryAttribute(name = "record-type", description = "SRV, A or AAAA, as in Stork's dns discovery.", defaultValue = "SRV")
@ServiceDiscoveryAttribute(name = "dns-servers", description = "host:port list, or none for the system resolver.", defaultValue = "none")
@ServiceDiscoveryAttribute(name = "refresh-period", description = "How often the instance list is refreshed.", defaultValue = "5S")
@ServiceDiscoveryAttribute(name = "samples", description = "Queries per refresh when an answer holds one record (WEIGHTED routing); 1 turns sampling off.", defaultValue = "24")
@ApplicationScoped
public class DnsSpreadServiceDiscoveryProvider implements ServiceDiscoveryProvider<DnsSpreadConfiguration> {

    @Override
    public ServiceDiscovery createServiceDiscovery(DnsSpreadConfiguration config, String serviceName,
            ServiceConfig serviceConfig, StorkInfrastructure infrastructure) {
        // Every other attribute (port, dns-timeout, resolve-srv, ...) goes to Stork's provider unchanged.
        CachingServiceDiscovery stork = (CachingServiceDiscovery) new DnsServiceDiscoveryProvider()
                .createServiceDiscovery(new DnsConfiguration(config.parameters()), serviceName, serviceConfig,
                        infrastructure);
        int samples = Integer.parseInt(config.getSamples());
        if (samples < 1) {
            throw new IllegalArgumentException("samples must be at least 1, was " + samples);
        }
        return new SampledDnsServiceDiscovery(stork, samples, config.getRefreshPeriod());
    }
}
