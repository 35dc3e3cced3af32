package org.acme.fargate.balancing;

import io.smallrye.stork.api.LoadBalancer;
import io.smallrye.stork.api.NoServiceInstanceFoundException;
import io.smallrye.stork.api.ServiceInstance;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One service's balancer: takes the instances in turn, skipping those in its {@link Ejections}, each in proportion
 * to its {@link WarmUp} weight (a new instance less often until it has warmed up; all equal, a plain rotation). When every instance is
 * ejected it picks one anyway: a call that may succeed beats a certain failure (Envoy's "panic mode").
 *
 * <p>The turns are nginx's smooth weighted round-robin: each pick adds every candidate's weight to its credit,
 * takes the one with the most, and charges it the total, so that picks interleave rather than come in runs.
 */
final class EjectingRoundRobinLoadBalancer implements LoadBalancer {

    private final Ejections ejections;
    private final WarmUp warmUp;
    private final Map<String, Double> credit = new HashMap<>();
    private volatile Set<String> listed = Set.of();

    EjectingRoundRobinLoadBalancer(Ejections ejections, WarmUp warmUp) {
        this.ejections = ejections;
        this.warmUp = warmUp;
    }

    @Override
    public ServiceInstance selectServiceInstance(Collection<ServiceInstance> instances) {
        if (instances.isEmpty()) {
            throw new NoServiceInstanceFoundException("No services found.");
        }
        // Ordered by address, which stays the same across refreshes (instance ids do not).
        List<ServiceInstance> inOrder = instances.stream()
                .sorted(Comparator.comparing(EjectingRoundRobinLoadBalancer::address)).toList();
        Set<String> listed = inOrder.stream().map(EjectingRoundRobinLoadBalancer::address).collect(Collectors.toSet());
        this.listed = listed;
        if (ejections.anyEjected()) {
            ejections.forgetAllBut(listed);
        }
        warmUp.listed(listed);
        List<ServiceInstance> candidates = inOrder.stream().filter(instance -> !ejections.isEjected(address(instance))).toList();
        return pick(candidates.isEmpty() ? inOrder : candidates, listed);
    }

    private synchronized ServiceInstance pick(List<ServiceInstance> candidates, Set<String> listed) {
        credit.keySet().retainAll(listed);
        double total = 0;
        ServiceInstance best = null;
        double bestCredit = Double.NEGATIVE_INFINITY;
        for (ServiceInstance candidate : candidates) {
            double weight = warmUp.weight(address(candidate));
            total += weight;
            double candidateCredit = credit.merge(address(candidate), weight, Double::sum);
            if (candidateCredit > bestCredit) {
                best = candidate;
                bestCredit = candidateCredit;
            }
        }
        credit.merge(address(best), -total, Double::sum);
        return best;
    }

    /** Whether discovery listed this address (host:port) at this service's last selection. */
    boolean lists(String address) {
        return listed.contains(address);
    }

    /** Leaves the instance out of this service's rotation for the ejection time. */
    void eject(String address) {
        ejections.eject(address);
    }

    boolean isEjected(String address) {
        return ejections.isEjected(address);
    }

    @Override
    public boolean requiresStrictRecording() {
        return false;
    }

    private static String address(ServiceInstance instance) {
        return instance.getHost() + ":" + instance.getPort();
    }
}
