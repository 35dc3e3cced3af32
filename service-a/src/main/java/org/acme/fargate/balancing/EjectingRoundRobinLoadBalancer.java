package org.acme.fargate.balancing;

import io.smallrye.stork.api.LoadBalancer;
import io.smallrye.stork.api.NoServiceInstanceFoundException;
import io.smallrye.stork.api.ServiceInstance;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Takes the instances in turn, skipping those in {@link Ejections}. When every instance is
 * ejected it picks one anyway: a call that may succeed beats a certain failure (Envoy's "panic mode").
 */
final class EjectingRoundRobinLoadBalancer implements LoadBalancer {

    private final AtomicInteger turn = new AtomicInteger();
    private final Ejections ejections;

    EjectingRoundRobinLoadBalancer(Ejections ejections) {
        this.ejections = ejections;
    }

    @Override
    public ServiceInstance selectServiceInstance(Collection<ServiceInstance> instances) {
        if (instances.isEmpty()) {
            throw new NoServiceInstanceFoundException("No services found.");
        }
        // Ordered by address, which stays the same across refreshes (instance ids do not).
        List<ServiceInstance> inOrder = instances.stream()
                .sorted(Comparator.comparing(EjectingRoundRobinLoadBalancer::address)).toList();
        if (ejections.anyEjected()) {
            ejections.forgetAllBut(inOrder.stream().map(EjectingRoundRobinLoadBalancer::address).collect(Collectors.toSet()));
        }
        int first = Math.floorMod(turn.getAndIncrement(), inOrder.size());
        for (int i = 0; i < inOrder.size(); i++) {
            ServiceInstance candidate = inOrder.get((first + i) % inOrder.size());
            if (!ejections.isEjected(address(candidate))) {
                return candidate;
            }
        }
        return inOrder.get(first);
    }

    @Override
    public boolean requiresStrictRecording() {
        return false;
    }

    private static String address(ServiceInstance instance) {
        return instance.getHost() + ":" + instance.getPort();
    }
}
