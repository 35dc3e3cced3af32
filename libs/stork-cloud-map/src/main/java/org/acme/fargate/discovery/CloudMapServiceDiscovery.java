package org.acme.fargate.discovery;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.stork.api.NoServiceInstanceFoundException;
import io.smallrye.stork.api.ServiceDiscovery;
import io.smallrye.stork.api.ServiceInstance;
import io.smallrye.stork.impl.DefaultServiceInstance;
import io.smallrye.stork.utils.ServiceInstanceIds;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryClient;
import software.amazon.awssdk.services.servicediscovery.model.DiscoverInstancesResponse;
import software.amazon.awssdk.services.servicediscovery.model.HealthStatusFilter;
import software.amazon.awssdk.services.servicediscovery.model.HttpInstanceSummary;

/**
 * The instances of one Cloud Map service, kept fresh cheaply.
 *
 * <ul>
 *   <li>A refresh happens when a request finds the list older than the period: that one request waits
 *       for it (a few ms; so the first request after a quiet spell sees the current fleet), while
 *       concurrent requests use the list they have.</li>
 *   <li>At most one refresh per period, whatever the request rate, and only while requests come. A
 *       refresh asks {@code DiscoverInstancesRevision} (a number); only when it moved does it call
 *       {@code DiscoverInstances}: one call per period, two in a period where the fleet changed.</li>
 *   <li>HEALTHY instances only, preferring this task's AZ through {@code OptionalParameters}: Cloud Map
 *       then returns the same-AZ instances when there are any and all AZs' otherwise. When none is
 *       healthy the list is empty and service-a answers 503 at once: sending traffic to instances ECS
 *       itself marked unhealthy would only add failures.</li>
 *   <li>API errors and throttling keep the last known good list and back off with jitter (period × 2^n,
 *       up to a minute), so an API outage neither empties the list nor adds load to the API.</li>
 *   <li>The SDK is blocking: calls run on Mutiny's worker pool, never on the event loop.</li>
 * </ul>
 */
final class CloudMapServiceDiscovery implements ServiceDiscovery {

    static final String ZONE_ATTRIBUTE = "AVAILABILITY_ZONE";
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(1);

    private record Snapshot(List<ServiceInstance> instances, long revision) {
    }

    private final ServiceDiscoveryClient client;
    private final String namespace;
    private final String service;
    private final String zone;
    private final Duration refreshPeriod;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    /** Stable Stork instances per Cloud Map instance id, so load-balancer statistics survive refreshes. */
    private final Map<String, ServiceInstance> known = new ConcurrentHashMap<>();
    private volatile Snapshot current;
    private volatile long nextRefreshNanos;
    private volatile int consecutiveFailures;

    CloudMapServiceDiscovery(ServiceDiscoveryClient client, String namespace, String service, String zone,
            Duration refreshPeriod) {
        this.client = client;
        this.namespace = namespace;
        this.service = service;
        this.zone = zone;
        this.refreshPeriod = refreshPeriod;
    }

    @Override
    public Uni<List<ServiceInstance>> getServiceInstances() {
        Snapshot snapshot = current;
        if (snapshot == null) {
            return Uni.createFrom().item(this::firstFetch).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        }
        if (isDue()) {
            return Uni.createFrom().item(this::refreshIfStillDue).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        }
        return Uni.createFrom().item(snapshot.instances());
    }

    private boolean isDue() {
        return System.nanoTime() - nextRefreshNanos >= 0;
    }

    /**
     * The flag is taken and released in this one execution: taken before the Uni ran, it would stay
     * taken for good if the caller cancelled first (a request that timed out), and nothing would ever
     * refresh again.
     */
    private List<ServiceInstance> refreshIfStillDue() {
        if (isDue() && refreshing.compareAndSet(false, true)) {
            try {
                refresh();
            } finally {
                refreshing.set(false);
            }
        }
        return current.instances();
    }

    /** Until a first list exists, callers share one fetch (and its backoff) instead of each calling the API. */
    private synchronized List<ServiceInstance> firstFetch() {
        if (current != null) {
            return current.instances();
        }
        // No list yet and no answer: no instance is known, which callers answer as "unavailable, try later" (503).
        if (System.nanoTime() - nextRefreshNanos < 0) {
            throw new NoServiceInstanceFoundException("Cloud Map has not answered yet for " + service + "; backing off");
        }
        try {
            current = fetch();
            succeeded();
            return current.instances();
        } catch (RuntimeException e) {
            failed(e);
            throw new NoServiceInstanceFoundException("Cloud Map has not answered for " + service + ": " + e.getMessage(), e);
        }
    }

    private void refresh() {
        try {
            long revision = client.discoverInstancesRevision(r -> r.namespaceName(namespace).serviceName(service))
                    .instancesRevision();
            if (revision != current.revision()) {
                current = fetch();
            }
            succeeded();
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    private Snapshot fetch() {
        DiscoverInstancesResponse response = client.discoverInstances(r -> r.namespaceName(namespace)
                .serviceName(service).healthStatus(HealthStatusFilter.HEALTHY)
                .optionalParameters(zone == null ? Map.of() : Map.of(ZONE_ATTRIBUTE, zone)));
        List<String> keys = response.instances().stream().map(CloudMapServiceDiscovery::key).toList();
        known.keySet().retainAll(keys);
        List<ServiceInstance> instances = response.instances().stream().map(this::toStork).toList();
        if (instances.isEmpty()) {
            Log.warnf("Cloud Map lists no healthy instance of %s.%s", service, namespace);
        }
        return new Snapshot(instances, response.instancesRevision());
    }

    /** An instance id re-registered at another address is another Stork instance. */
    private static String key(HttpInstanceSummary summary) {
        return summary.instanceId() + "@" + summary.attributes().get("AWS_INSTANCE_IPV4") + ":"
                + summary.attributes().getOrDefault("AWS_INSTANCE_PORT", "80");
    }

    private ServiceInstance toStork(HttpInstanceSummary summary) {
        String host = summary.attributes().get("AWS_INSTANCE_IPV4");
        int port = Integer.parseInt(summary.attributes().getOrDefault("AWS_INSTANCE_PORT", "80"));
        return known.computeIfAbsent(key(summary),
                k -> new DefaultServiceInstance(ServiceInstanceIds.next(), host, port, false));
    }

    private void succeeded() {
        consecutiveFailures = 0;
        nextRefreshNanos = System.nanoTime() + refreshPeriod.toNanos();
    }

    private void failed(RuntimeException e) {
        int failures = ++consecutiveFailures;
        long backoff = Math.min(MAX_BACKOFF.toNanos(), refreshPeriod.toNanos() << Math.min(failures, 6));
        // Jitter (0.5x to 1.5x) so that a fleet of tasks does not retry in step after an API outage.
        long jittered = (long) (backoff * (0.5 + ThreadLocalRandom.current().nextDouble()));
        nextRefreshNanos = System.nanoTime() + jittered;
        Log.warnf("Cloud Map discovery of %s failed (%d in a row), keeping the last known list; next try in %d ms: %s",
                service, failures, jittered / 1_000_000, e.toString());
    }
}
