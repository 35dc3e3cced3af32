package org.acme.fargate.cloudmap;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One Cloud Map service and its instances. Every change bumps the revision, as Cloud Map's
 * {@code InstancesRevision} does, so clients can poll cheaply and fetch only when it moved.
 * Methods are synchronized: registrations are rare, and a consistent snapshot matters more than speed.
 */
public final class RegisteredService {

    private final String id;
    private final String name;
    private final String namespaceName;
    private final String namespaceId;
    private final CloudMapConfig.RoutingPolicy routingPolicy;
    private final long ttl;
    private final Map<String, Instance> instances = new LinkedHashMap<>();
    // Starts at the clock, not at 1: a restarted stand-in must not hand out a revision a client already
    // holds for another fleet (it would skip the fetch and keep a stale list), as Cloud Map never does.
    private long revision = System.currentTimeMillis();

    RegisteredService(String namespaceName, String namespaceId, String name, CloudMapConfig.Service config) {
        this.id = config.id();
        this.name = name;
        this.namespaceName = namespaceName;
        this.namespaceId = namespaceId;
        this.routingPolicy = config.routingPolicy();
        this.ttl = config.ttl();
    }

    public String id() {
        return id;
    }

    public String name() {
        return name;
    }

    public String namespaceName() {
        return namespaceName;
    }

    public String namespaceId() {
        return namespaceId;
    }

    public CloudMapConfig.RoutingPolicy routingPolicy() {
        return routingPolicy;
    }

    public long ttl() {
        return ttl;
    }

    /** The DNS name of the service: {@code service-b.shop.internal}. */
    public String dnsName() {
        return name + "." + namespaceName;
    }

    public synchronized long revision() {
        return revision;
    }

    public synchronized List<Instance> instances() {
        return new ArrayList<>(instances.values());
    }

    public synchronized Optional<Instance> instance(String instanceId) {
        return Optional.ofNullable(instances.get(instanceId));
    }

    /** Registers or replaces an instance (RegisterInstance is an upsert on AWS too). */
    public synchronized void register(Instance instance) {
        instances.put(instance.id(), instance);
        revision++;
    }

    public synchronized boolean deregister(String instanceId) {
        boolean removed = instances.remove(instanceId) != null;
        if (removed) {
            revision++;
        }
        return removed;
    }

    public synchronized boolean setHealth(String instanceId, boolean healthy) {
        Instance instance = instances.get(instanceId);
        if (instance == null) {
            return false;
        }
        if (instance.healthy() != healthy) {
            instances.put(instanceId, instance.withHealth(healthy));
            revision++;
        }
        return true;
    }
}
