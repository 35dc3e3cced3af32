package org.acme.fargate.balancing;

import io.smallrye.stork.api.LoadBalancer;
import io.smallrye.stork.api.ServiceDiscovery;
import io.smallrye.stork.api.config.LoadBalancerAttribute;
import io.smallrye.stork.api.config.LoadBalancerType;
import io.smallrye.stork.spi.LoadBalancerProvider;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Round-robin that sets aside, for a while, an instance that did not answer (passive outlier ejection):
 * {@link EjectOnNoAnswerFilter} notes such calls in the balancer's {@link Ejections}, and the balancer skips
 * those instances; and that gives a newly listed instance a share that grows over a warm-up ({@link WarmUp}).
 * Selected with {@code quarkus.stork.<service>.load-balancer.type=ejecting-round-robin}; its two settings are
 * attributes of the same prefix.
 *
 * <p>Stork creates one balancer per service, and each gets its own ejections and warm-up here: one service's
 * instances never touch another's (a provider-wide state would let each service's selections forget the
 * others' ejected and warming instances).
 *
 * <p>When a task dies, Stork's round-robin keeps choosing it until discovery drops it: up to a refresh
 * period, and on AWS until ECS deregisters it and the record's TTL runs out. A retry then goes to the
 * next instance in the rotation, but under concurrent load the rotation is shared, and with two of
 * three tasks gone a request's every retry can land on a dead one. Envoy and the ALB solve this by
 * ejecting hosts that fail; Stork's balancers either spread evenly (round-robin, random) or avoid
 * failures (least-response-time, which does not spread evenly), none both; so this one is written here.
 */
@LoadBalancerType("ejecting-round-robin")
@LoadBalancerAttribute(name = "ejection-time", defaultValue = "10S",
        description = "How long an instance that gave no answer at all is left out before it is tried again.")
@LoadBalancerAttribute(name = "slow-start", defaultValue = "30S",
        description = "The warm-up over which a newly listed instance's share grows from a tenth to a full one; 0S turns it off.")
@ApplicationScoped
public class EjectingRoundRobinLoadBalancerProvider implements LoadBalancerProvider<EjectingRoundRobinConfiguration> {

    @Override
    public LoadBalancer createLoadBalancer(EjectingRoundRobinConfiguration config, ServiceDiscovery discovery) {
        return new EjectingRoundRobinLoadBalancer(new Ejections(duration(config.getEjectionTime())),
                new WarmUp(duration(config.getSlowStart())));
    }

    /** A Quarkus-style duration ({@code 10S}, {@code 5M}) as {@link Duration}. */
    private static Duration duration(String value) {
        return Duration.parse("PT" + value);
    }
}
