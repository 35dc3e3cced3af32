package org.acme.fargate.cloudmap;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Everything cloudmap-local knows: the configured namespaces and services, their instances, and API call counts. */
@ApplicationScoped
public class Registry {

    /** A configured namespace, as ListNamespaces describes it. */
    public record Namespace(String id, String name) {
    }

    private final List<Namespace> namespaces = new ArrayList<>();
    private final Map<String, RegisteredService> servicesById = new LinkedHashMap<>();
    private final Map<String, AtomicLong> callsByOperation = new ConcurrentHashMap<>();

    Registry(CloudMapConfig config) {
        config.namespaces().forEach((namespaceName, namespace) -> {
            namespaces.add(new Namespace(namespace.id(), namespaceName));
            namespace.services().forEach((serviceName, service) -> servicesById.put(service.id(),
                    new RegisteredService(namespaceName, namespace.id(), serviceName, service)));
        });
    }

    public List<Namespace> namespaces() {
        return List.copyOf(namespaces);
    }

    public Collection<RegisteredService> services() {
        return servicesById.values();
    }

    public RegisteredService serviceById(String serviceId) {
        RegisteredService service = servicesById.get(serviceId);
        if (service == null) {
            throw new CloudMapException("ServiceNotFound", "No service found with ID " + serviceId + ".");
        }
        return service;
    }

    /** Finds a service the way DiscoverInstances names it: by namespace and service name. */
    public RegisteredService serviceByName(String namespaceName, String serviceName) {
        boolean namespaceKnown = namespaces.stream().anyMatch(namespace -> namespace.name().equals(namespaceName));
        if (!namespaceKnown) {
            throw new CloudMapException("NamespaceNotFound", "No namespace found with name " + namespaceName + ".");
        }
        return servicesById.values().stream()
                .filter(service -> service.namespaceName().equals(namespaceName) && service.name().equals(serviceName))
                .findFirst()
                .orElseThrow(() -> new CloudMapException("ServiceNotFound",
                        "No service found with name " + serviceName + " in namespace " + namespaceName + "."));
    }

    /** The service a DNS name belongs to ({@code service-b.shop.internal} or {@code <instance>.service-b.shop.internal}). */
    public Optional<RegisteredService> serviceByDnsName(String dnsName) {
        return servicesById.values().stream()
                .filter(service -> dnsName.equalsIgnoreCase(service.dnsName())
                        || dnsName.toLowerCase().endsWith("." + service.dnsName().toLowerCase()))
                .findFirst();
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
