package org.acme.fargate.cloudmap;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Everything cloudmap-local knows: namespaces, services and their instances, tags, the operations it carried
 * out, and API call counts. It starts with the namespace and service the templates create (configured in
 * application.properties); the API can create and delete more, as on AWS.
 */
@ApplicationScoped
public class Registry {

    /** AWS's default quota of tags per resource. */
    static final int MAX_TAGS = 50;

    private final Map<String, Namespace> namespacesById = new LinkedHashMap<>();
    private final Map<String, RegisteredService> servicesById = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> tagsByArn = new LinkedHashMap<>();
    private final List<SubmittedOperation> operations = new ArrayList<>();
    private final Map<String, AtomicLong> callsByOperation = new ConcurrentHashMap<>();

    Registry(CloudMapConfig config) {
        Instant now = Instant.now();
        config.namespaces().forEach((namespaceName, configured) -> {
            Namespace namespace = new Namespace(configured.id(), namespaceName, configured.description(), null,
                    "vpc-local", configured.soaTtl().orElse(Namespace.DEFAULT_SOA_TTL), now);
            namespacesById.put(namespace.id(), namespace);
            tagsByArn.put(namespace.arn(), new LinkedHashMap<>());
            configured.services().forEach((serviceName, service) -> {
                var definition = new RegisteredService.Definition(service.id(), serviceName, namespace, null,
                        service.routingPolicy(), true, now);
                // The templates' service: SRV and A records with one TTL, and the custom health ECS reports to.
                servicesById.put(service.id(), new RegisteredService(definition, service.description(),
                        List.of(new DnsRecord(DnsRecord.Type.SRV, service.ttl()), new DnsRecord(DnsRecord.Type.A, service.ttl()))));
                tagsByArn.put(definition.arn(), new LinkedHashMap<>());
            });
        });
    }

    public synchronized List<Namespace> namespaces() {
        return List.copyOf(namespacesById.values());
    }

    public synchronized Namespace namespaceById(String namespaceId) {
        Namespace namespace = namespacesById.get(namespaceId);
        if (namespace == null) {
            throw new CloudMapException("NamespaceNotFound", "No namespace found with ID " + namespaceId + ".");
        }
        return namespace;
    }

    /** The namespace whose zone holds a DNS name, if any. */
    public synchronized Optional<Namespace> zoneOf(String dnsName) {
        return namespacesById.values().stream().filter(namespace -> namespace.contains(dnsName))
                .max((a, b) -> Integer.compare(a.name().length(), b.name().length()));
    }

    public synchronized Namespace createNamespace(Namespace namespace, Map<String, String> tags) {
        namespacesById.values().stream().filter(existing -> existing.name().equalsIgnoreCase(namespace.name()))
                .findFirst().ifPresent(existing -> {
                    throw new CloudMapException("NamespaceAlreadyExists",
                            "A namespace named " + namespace.name() + " already exists.",
                            Map.of("NamespaceId", existing.id()));
                });
        namespacesById.put(namespace.id(), namespace);
        tagsByArn.put(namespace.arn(), new LinkedHashMap<>(tags));
        return namespace;
    }

    public synchronized void deleteNamespace(String namespaceId) {
        Namespace namespace = namespaceById(namespaceId);
        if (servicesById.values().stream().anyMatch(service -> service.definition().namespace().id().equals(namespaceId))) {
            throw new CloudMapException("ResourceInUse",
                    "Namespace " + namespaceId + " still contains services; delete them first.");
        }
        namespacesById.remove(namespaceId);
        tagsByArn.remove(namespace.arn());
    }

    public synchronized Collection<RegisteredService> services() {
        return List.copyOf(servicesById.values());
    }

    public synchronized RegisteredService serviceById(String serviceId) {
        RegisteredService service = servicesById.get(serviceId);
        if (service == null) {
            throw new CloudMapException("ServiceNotFound", "No service found with ID " + serviceId + ".");
        }
        return service;
    }

    /** Finds a service the way DiscoverInstances names it: by namespace and service name. */
    public synchronized RegisteredService serviceByName(String namespaceName, String serviceName) {
        boolean namespaceKnown = namespacesById.values().stream()
                .anyMatch(namespace -> namespace.name().equalsIgnoreCase(namespaceName));
        if (!namespaceKnown) {
            throw new CloudMapException("NamespaceNotFound", "No namespace found with name " + namespaceName + ".");
        }
        return servicesById.values().stream()
                .filter(service -> service.namespaceName().equalsIgnoreCase(namespaceName)
                        && service.name().equalsIgnoreCase(serviceName))
                .findFirst()
                .orElseThrow(() -> new CloudMapException("ServiceNotFound",
                        "No service found with name " + serviceName + " in namespace " + namespaceName + "."));
    }

    public synchronized RegisteredService createService(RegisteredService service, Map<String, String> tags) {
        servicesById.values().stream()
                .filter(existing -> existing.definition().namespace().id().equals(service.definition().namespace().id())
                        && existing.name().equalsIgnoreCase(service.name()))
                .findFirst().ifPresent(existing -> {
                    Map<String, String> members = new LinkedHashMap<>();
                    members.put("ServiceId", existing.id());
                    if (existing.definition().creatorRequestId() != null) {
                        members.put("CreatorRequestId", existing.definition().creatorRequestId());
                    }
                    throw new CloudMapException("ServiceAlreadyExists", "A service named " + service.name()
                            + " already exists in namespace " + service.namespaceName() + ".", members);
                });
        servicesById.put(service.id(), service);
        tagsByArn.put(service.definition().arn(), new LinkedHashMap<>(tags));
        return service;
    }

    public synchronized void deleteService(String serviceId) {
        RegisteredService service = serviceById(serviceId);
        if (!service.instances().isEmpty()) {
            throw new CloudMapException("ResourceInUse",
                    "Service " + serviceId + " still has registered instances; deregister them first.");
        }
        servicesById.remove(serviceId);
        tagsByArn.remove(service.definition().arn());
    }

    /** The service a DNS name belongs to ({@code service-b.shop.internal} or {@code <instance>.service-b.shop.internal}). */
    public synchronized Optional<RegisteredService> serviceByDnsName(String dnsName) {
        String lower = dnsName.toLowerCase();
        return servicesById.values().stream()
                .filter(service -> !service.dnsRecords().isEmpty())
                .filter(service -> lower.equals(service.dnsName().toLowerCase())
                        || lower.endsWith("." + service.dnsName().toLowerCase()))
                .max((a, b) -> Integer.compare(a.dnsName().length(), b.dnsName().length()));
    }

    /** The tags of a namespace or service, by ARN. */
    public synchronized Map<String, String> tags(String arn) {
        Map<String, String> tags = tagsByArn.get(arn);
        if (tags == null) {
            throw new CloudMapException("ResourceNotFoundException", "No resource found with ARN " + arn + ".");
        }
        return Map.copyOf(tags);
    }

    public synchronized void tag(String arn, Map<String, String> newTags) {
        Map<String, String> merged = new LinkedHashMap<>(tags(arn));
        merged.putAll(newTags);
        if (merged.size() > MAX_TAGS) {
            throw new CloudMapException("TooManyTagsException",
                    "A resource can have at most " + MAX_TAGS + " tags.", Map.of("ResourceName", arn));
        }
        tagsByArn.put(arn, merged);
    }

    public synchronized void untag(String arn, Collection<String> keys) {
        tags(arn);
        tagsByArn.get(arn).keySet().removeAll(keys);
    }

    /** Records a change as a completed operation and returns its id. */
    public synchronized String submitted(SubmittedOperation.Type type, Map<String, String> targets) {
        SubmittedOperation operation = new SubmittedOperation(UUID.randomUUID().toString(), type, Instant.now(),
                Map.copyOf(targets));
        operations.add(operation);
        return operation.id();
    }

    public synchronized List<SubmittedOperation> operations() {
        return List.copyOf(operations);
    }

    public void countCall(String operation) {
        callsByOperation.computeIfAbsent(operation, key -> new AtomicLong()).incrementAndGet();
    }

    public Map<String, Long> calls() {
        Map<String, Long> snapshot = new LinkedHashMap<>();
        callsByOperation.forEach((operation, count) -> snapshot.put(operation, count.get()));
        return snapshot;
    }
}
