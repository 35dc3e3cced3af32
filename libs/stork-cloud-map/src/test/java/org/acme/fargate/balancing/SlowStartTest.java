package org.acme.fargate.balancing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.stork.api.ServiceInstance;
import io.smallrye.stork.impl.DefaultServiceInstance;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A service-b task that appears while two others serve (a deployment, a scale-out) gets a tenth of a full share,
 * then a share that grows until the warm-up has passed; without a warm-up, a full share at once; the tasks
 * service-a found at start share equally from the first request.
 */
class SlowStartTest {

    private static final Duration WINDOW = Duration.ofSeconds(30);
    private static final ServiceInstance A = instance(1, "10.0.1.10");
    private static final ServiceInstance B = instance(2, "10.0.2.10");
    private static final ServiceInstance NEW = instance(3, "10.0.3.10");

    private final AtomicLong clock = new AtomicLong();

    private static ServiceInstance instance(long id, String host) {
        return new DefaultServiceInstance(id, host, 8080, false);
    }

    private EjectingRoundRobinLoadBalancer balancer(Duration window) {
        return new EjectingRoundRobinLoadBalancer(new Ejections(Duration.ofSeconds(10)), new WarmUp(window, clock::get));
    }

    /** The share of 1,000 picks each instance got. */
    private static Map<String, Double> shares(EjectingRoundRobinLoadBalancer balancer, List<ServiceInstance> instances) {
        Map<String, Double> shares = new HashMap<>();
        for (int i = 0; i < 1_000; i++) {
            shares.merge(balancer.selectServiceInstance(instances).getHost(), 0.001, Double::sum);
        }
        return shares;
    }

    @Test
    void aNewInstancesShareGrowsOverTheWarmUp() {
        EjectingRoundRobinLoadBalancer balancer = balancer(WINDOW);
        Map<String, Double> atStart = shares(balancer, List.of(A, B));
        assertEquals(0.5, atStart.get(A.getHost()), 0.01, "the first instances are warm: " + atStart);

        clock.addAndGet(Duration.ofMinutes(5).toNanos());
        List<ServiceInstance> three = List.of(A, B, NEW);
        assertEquals(0.1 / 2.1, shares(balancer, three).get(NEW.getHost()), 0.01, "a tenth of a full share when it appears");
        clock.addAndGet(WINDOW.dividedBy(2).toNanos());
        assertEquals(0.5 / 2.5, shares(balancer, three).get(NEW.getHost()), 0.01, "half a full share half way");
        clock.addAndGet(WINDOW.toNanos());
        assertEquals(1.0 / 3, shares(balancer, three).get(NEW.getHost()), 0.01, "a full share once warm");
    }

    @Test
    void withoutAWarmUpANewInstanceTakesAFullShareAtOnce() {
        EjectingRoundRobinLoadBalancer balancer = balancer(Duration.ZERO);
        shares(balancer, List.of(A, B));
        assertEquals(1.0 / 3, shares(balancer, List.of(A, B, NEW)).get(NEW.getHost()), 0.01);
    }

    @Test
    void equalWeightsAreAPlainRotation() {
        EjectingRoundRobinLoadBalancer balancer = balancer(WINDOW);
        List<String> picks = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            picks.add(balancer.selectServiceInstance(List.of(B, A, NEW)).getHost());
        }
        assertEquals(List.of("10.0.1.10", "10.0.2.10", "10.0.3.10", "10.0.1.10", "10.0.2.10", "10.0.3.10"), picks);
    }

    /**
     * The provider gives each Stork service a balancer with a warm-up of its own: another service's selections (its
     * own instance list) never make this service's warm instances new again.
     */
    @Test
    void eachServiceWarmsUpItsOwnInstances() {
        EjectingRoundRobinLoadBalancerProvider provider = new EjectingRoundRobinLoadBalancerProvider();
        EjectingRoundRobinConfiguration config = new EjectingRoundRobinConfiguration(Map.of("slow-start", "30S"));
        var serviceB = (EjectingRoundRobinLoadBalancer) provider.createLoadBalancer(config, null);
        var inventory = (EjectingRoundRobinLoadBalancer) provider.createLoadBalancer(config, null);
        shares(serviceB, List.of(A, B)); // its first list: warm
        shares(inventory, List.of(instance(4, "10.0.9.10")));
        double newShare = shares(serviceB, List.of(A, B, NEW)).get(NEW.getHost());
        assertTrue(newShare < 0.1, "the new instance starts at a tenth of a warm one's share, not at a third: " + newShare);
    }
}
