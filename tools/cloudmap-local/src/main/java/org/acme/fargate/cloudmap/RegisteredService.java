package org.acme.fargate.cloudmap;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One Cloud Map service, its DNS settings and its instances. Every change to the instances bumps the revision,
 * as Cloud Map's {@code InstancesRevision} does, so clients can poll cheaply and fetch only when it moved.
 * Methods are synchronized: registrations are rare, and a consistent snapshot matters more than speed.
 */
public final class RegisteredService {

    /** What CreateService fixes for the life of the service. */
    public record Definition(String id, String name, Namespace namespace, String creatorRequestId,
            CloudMapConfig.RoutingPolicy routingPolicy, boolean customHealth, Instant createDate) {

        public String arn() {
            return Arns.PREFIX + "service/" + id;
        }
    }

    private final Definition definition;
    private String description;
    private List<DnsRecord> dnsRecords;
    private final Map<String, Instance> instances = new LinkedHashMap<>();
    // Starts at the clock, not at 1: a restarted stand-in must not hand out a revision a client already
    // holds for another fleet (it would skip the fetch and keep a stale list), as Cloud Map never does.
    private long revision = System.currentTimeMillis();

    RegisteredService(Definition definition, String description, List<DnsRecord> dnsRecords) {
        this.definition = definition;
        this.description = description;
        this.dnsRecords = List.copyOf(dnsRecords);
    }

    public Definition definition() {
        return definition;
    }

    public String id() {
        return definition.id();
    }

    public String name() {
        return definition.name();
    }

    public String namespaceName() {
        return definition.namespace().name();
    }

    public CloudMapConfig.RoutingPolicy routingPolicy() {
        return definition.routingPolicy();
    }

    /** DNS_HTTP when the service has DNS records, HTTP when it is discoverable through the API only. */
    public String type() {
        return dnsRecords().isEmpty() ? "HTTP" : "DNS_HTTP";
    }

    /**
     * Whether instances carry a health status (the service has {@code HealthCheckCustomConfig}). Without it every
     * instance counts as healthy, whatever {@code AWS_INIT_HEALTH_STATUS} said, as on AWS.
     */
    public boolean tracksHealth() {
        return definition.customHealth();
    }

    /** The DNS name of the service: {@code service-b.shop.internal}. */
    public String dnsName() {
        return name() + "." + namespaceName();
    }

    public synchronized List<DnsRecord> dnsRecords() {
        return dnsRecords;
    }

    public synchronized String description() {
        return description;
    }

    /** The TTL of the records of one type, or empty when the service writes no record of that type. */
    public synchronized OptionalLong ttl(DnsRecord.Type type) {
        return dnsRecords.stream().filter(record -> record.type() == type).mapToLong(DnsRecord::ttl).findFirst();
    }

    /** UpdateService: a new description and TTLs; DNS answers follow at once, as Route 53's records do. */
    public synchronized void update(String newDescription, List<DnsRecord> newRecords) {
        this.description = newDescription;
        this.dnsRecords = List.copyOf(newRecords);
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
        instances.put(instance.id(), tracksHealth() ? instance : instance.withHealth(true));
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
