package org.acme.fargate.balancing;

import io.smallrye.stork.api.LoadBalancer;
import io.smallrye.stork.api.ServiceDiscovery;
import io.smallrye.stork.api.config.LoadBalancerType;
import io.smallrye.stork.spi.LoadBalancerProvider;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Round-robin that sets aside, for a while, an instance that did not answer (passive outlier ejection):
 * {@link EjectOnNoAnswerFilter} notes such calls in {@link Ejections}, and the balancer skips
 * those instances; and that gives a newly listed instance a share that grows over a warm-up ({@link WarmUp}).
 * Selected with {@code SERVICE_B_LOAD_BALANCER=ejecting-round-robin}, the default.
 *
 * <p>When a task dies, Stork's round-robin keeps choosing it until discovery drops it: up to a refresh
 * period, and on AWS until ECS deregisters it and the record's TTL runs out. A retry then goes to the
 * next instance in the rotation, but under concurrent load the rotation is shared, and with two of
 * three tasks gone a request's every retry can land on a dead one. Envoy and the ALB solve this by
 * ejecting hosts that fail; Stork's balancers either spread evenly (round-robin, random) or avoid
 * failures (least-response-time, which does not spread evenly), none both; so this one is written here.
 */
@LoadBalancerType("ejecting-round-robin")
@ApplicationScoped
public class EjectingRoundRobinLoadBalancerProvider implements LoadBalancerProvider<EjectingRoundRobinConfiguration> {

    // Field injection: Stork's generated loader takes this provider from CDI, or calls the no-argument
    // constructor where CDI is absent (never in this application).
    @Inject
    Ejections ejections;

    @Inject
    WarmUp warmUp;

    @Override
    public LoadBalancer createLoadBalancer(EjectingRoundRobinConfiguration config, ServiceDiscovery discovery) {
        return new EjectingRoundRobinLoadBalancer(ejections, warmUp);
    }
}
