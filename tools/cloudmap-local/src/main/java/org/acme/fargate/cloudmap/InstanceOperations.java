package org.acme.fargate.cloudmap;

import static org.acme.fargate.cloudmap.Requests.optional;
import static org.acme.fargate.cloudmap.Requests.required;
import static org.acme.fargate.cloudmap.Requests.stringMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.inject.Singleton;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The instance operations: what ECS calls for each task it starts and stops, and what clients call to discover. */
@Singleton
class InstanceOperations extends OperationGroup {

    private static final int MAX_ATTRIBUTES = 30;
    private static final Set<String> HEALTH_STATUSES = Set.of("HEALTHY", "UNHEALTHY");

    InstanceOperations(Registry registry, ObjectMapper json) {
        super(registry, json);
        operation("RegisterInstance", Set.of("ServiceId", "InstanceId", "CreatorRequestId", "Attributes"),
                this::registerInstance);
        operation("DeregisterInstance", Set.of("ServiceId", "InstanceId"), this::deregisterInstance);
        operation("DiscoverInstances", Set.of("NamespaceName", "ServiceName", "MaxResults",
                "QueryParameters", "OptionalParameters", "HealthStatus", "OwnerAccount"), this::discoverInstances);
        operation("DiscoverInstancesRevision", Set.of("NamespaceName", "ServiceName", "OwnerAccount"),
                this::discoverInstancesRevision);
        operation("ListInstances", Set.of("ServiceId", "MaxResults", "NextToken"), this::listInstances);
        operation("GetInstance", Set.of("ServiceId", "InstanceId"), this::getInstance);
        operation("GetInstancesHealthStatus", Set.of("ServiceId", "Instances", "MaxResults", "NextToken"),
                this::getInstancesHealthStatus);
        operation("UpdateInstanceCustomHealthStatus", Set.of("ServiceId", "InstanceId", "Status"),
                this::updateInstanceCustomHealthStatus);
    }

    private ObjectNode registerInstance(JsonNode request) {
        RegisteredService service = registry.serviceById(required(request, "ServiceId"));
        String instanceId = required(request, "InstanceId");
        if (instanceId.length() > 64 || !instanceId.matches("[0-9a-zA-Z_/:.@-]+")) {
            throw CloudMapException.invalidInput("InstanceId must be 1-64 characters of letters, digits and _/:.@-");
        }
        Map<String, String> attributes = stringMap(request, "Attributes");
        checkAttributes(service, instanceId, attributes);
        String initialHealth = attributes.getOrDefault(Instance.INIT_HEALTH, "HEALTHY");
        if (!HEALTH_STATUSES.contains(initialHealth)) {
            throw CloudMapException.invalidInput("AWS_INIT_HEALTH_STATUS must be HEALTHY or UNHEALTHY.");
        }
        service.register(new Instance(instanceId, optional(request, "CreatorRequestId").orElse(null),
                Collections.unmodifiableMap(attributes), initialHealth.equals("HEALTHY")));
        return Responses.operationId(registry.submitted(SubmittedOperation.Type.REGISTER_INSTANCE, targets(service, instanceId)));
    }

    /** The attributes each of the service's record types needs, as RegisterInstance documents them. */
    private static void checkAttributes(RegisteredService service, String instanceId, Map<String, String> attributes) {
        if (attributes.size() > MAX_ATTRIBUTES) {
            throw CloudMapException.invalidInput("An instance has at most " + MAX_ATTRIBUTES + " attributes.");
        }
        attributes.forEach((key, value) -> {
            if (key.isEmpty() || key.length() > 255 || value.length() > 1024) {
                throw CloudMapException.invalidInput("Attribute keys are 1-255 characters and values at most 1024.");
            }
        });
        String ipv4 = attributes.get(Instance.IPV4);
        String ipv6 = attributes.get(Instance.IPV6);
        if (ipv4 != null && !isIpv4(ipv4)) {
            throw CloudMapException.invalidInput("AWS_INSTANCE_IPV4 must be an IPv4 address such as 192.0.2.44.");
        }
        if (ipv6 != null && !isIpv6(ipv6)) {
            throw CloudMapException.invalidInput("AWS_INSTANCE_IPV6 must be an IPv6 address such as 2001:db8::1.");
        }
        for (DnsRecord record : service.dnsRecords()) {
            switch (record.type()) {
                case A -> requireAttribute(ipv4, "AWS_INSTANCE_IPV4, an IPv4 address, for a service with A records.");
                case AAAA -> requireAttribute(ipv6, "AWS_INSTANCE_IPV6, an IPv6 address, for a service with AAAA records.");
                case CNAME -> requireAttribute(attributes.get(Instance.CNAME),
                        "AWS_INSTANCE_CNAME, a domain name, for a service with CNAME records.");
                case SRV -> {
                    String port = attributes.get(Instance.PORT);
                    if (port == null || !port.matches("\\d{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
                        throw CloudMapException.invalidInput("Attributes must include AWS_INSTANCE_PORT (1-65535) "
                                + "for a service with SRV records.");
                    }
                    requireAttribute(ipv4 != null ? ipv4 : ipv6,
                            "AWS_INSTANCE_IPV4 or AWS_INSTANCE_IPV6 for a service with SRV records.");
                    if (!Requests.isDnsName(instanceId + "." + service.dnsName())) {
                        throw CloudMapException.invalidInput("InstanceId must form a DNS name with the service name ("
                                + instanceId + "." + service.dnsName() + "): no empty label and no label over 63 "
                                + "characters, because the service has SRV records.");
                    }
                }
            }
        }
    }

    private static void requireAttribute(String value, String what) {
        if (value == null) {
            throw CloudMapException.invalidInput("Attributes must include " + what);
        }
    }

    private ObjectNode deregisterInstance(JsonNode request) {
        RegisteredService service = registry.serviceById(required(request, "ServiceId"));
        String instanceId = required(request, "InstanceId");
        if (!service.deregister(instanceId)) {
            throw instanceNotFound(instanceId);
        }
        return Responses.operationId(registry.submitted(SubmittedOperation.Type.DEREGISTER_INSTANCE, targets(service, instanceId)));
    }

    private ObjectNode discoverInstances(JsonNode request) {
        RegisteredService service = registry.serviceByName(required(request, "NamespaceName"),
                required(request, "ServiceName"));
        int maxResults = request.hasNonNull("MaxResults") ? (int) Requests.number(request, "MaxResults", 1, 1000) : 100;
        String healthFilter = Requests.oneOf(request, "HealthStatus",
                Set.of("HEALTHY", "UNHEALTHY", "ALL", "HEALTHY_OR_ELSE_ALL")).orElse("HEALTHY");
        Map<String, String> query = stringMap(request, "QueryParameters");
        Map<String, String> optionalParameters = stringMap(request, "OptionalParameters");

        List<Instance> matching = service.instances().stream()
                .filter(instance -> matches(instance, query))
                .toList();
        List<Instance> byHealth = switch (healthFilter) {
            case "HEALTHY" -> matching.stream().filter(Instance::healthy).toList();
            case "UNHEALTHY" -> matching.stream().filter(instance -> !instance.healthy()).toList();
            case "ALL" -> matching;
            default -> matching.stream().anyMatch(Instance::healthy)
                    ? matching.stream().filter(Instance::healthy).toList() : matching;
        };
        // OptionalParameters narrow the result only when some instance left matches them (AWS's rule), so a
        // client preferring its own AZ still gets the other AZs' healthy instances when its own has none.
        List<Instance> preferred = byHealth.stream().filter(instance -> matches(instance, optionalParameters)).toList();
        List<Instance> selected = preferred.isEmpty() ? byHealth : preferred;
        ObjectNode response = json.createObjectNode();
        ArrayNode instances = response.putArray("Instances");
        selected.stream().limit(maxResults).forEach(instance -> {
            ObjectNode summary = instances.addObject();
            summary.put("InstanceId", instance.id());
            summary.put("NamespaceName", service.namespaceName());
            summary.put("ServiceName", service.name());
            summary.put("HealthStatus", instance.healthStatus());
            summary.set("Attributes", json.valueToTree(instance.attributes()));
        });
        response.put("InstancesRevision", service.revision());
        return response;
    }

    private static boolean matches(Instance instance, Map<String, String> parameters) {
        return parameters.entrySet().stream().allMatch(e -> e.getValue().equals(instance.attributes().get(e.getKey())));
    }

    private ObjectNode discoverInstancesRevision(JsonNode request) {
        RegisteredService service = registry.serviceByName(required(request, "NamespaceName"),
                required(request, "ServiceName"));
        return json.createObjectNode().put("InstancesRevision", service.revision());
    }

    private ObjectNode listInstances(JsonNode request) {
        RegisteredService service = registry.serviceById(required(request, "ServiceId"));
        return listing("Instances", Requests.page(request, service.instances()), instance -> json.createObjectNode()
                .put("Id", instance.id()).set("Attributes", json.valueToTree(instance.attributes())));
    }

    private ObjectNode getInstance(JsonNode request) {
        RegisteredService service = registry.serviceById(required(request, "ServiceId"));
        String instanceId = required(request, "InstanceId");
        Instance instance = service.instance(instanceId).orElseThrow(() -> instanceNotFound(instanceId));
        ObjectNode response = json.createObjectNode();
        ObjectNode body = response.putObject("Instance").put("Id", instance.id());
        if (instance.creatorRequestId() != null) {
            body.put("CreatorRequestId", instance.creatorRequestId());
        }
        body.set("Attributes", json.valueToTree(instance.attributes()));
        return response;
    }

    private ObjectNode getInstancesHealthStatus(JsonNode request) {
        RegisteredService service = registry.serviceById(required(request, "ServiceId"));
        List<String> wanted = Requests.list(request, "Instances", false).stream().map(JsonNode::asText).toList();
        List<String> ids = wanted.isEmpty() ? service.instances().stream().map(Instance::id).toList() : wanted;
        Requests.Page<String> page = Requests.page(request, ids);
        ObjectNode response = json.createObjectNode();
        ObjectNode status = response.putObject("Status");
        for (String id : page.items()) {
            status.put(id, service.instance(id).map(Instance::healthStatus).orElse("UNKNOWN"));
        }
        page.nextToken().ifPresent(token -> response.put("NextToken", token));
        return response;
    }

    private ObjectNode updateInstanceCustomHealthStatus(JsonNode request) {
        RegisteredService service = registry.serviceById(required(request, "ServiceId"));
        String instanceId = required(request, "InstanceId");
        String status = required(request, "Status");
        if (!HEALTH_STATUSES.contains(status)) {
            throw CloudMapException.invalidInput("Status must be HEALTHY or UNHEALTHY.");
        }
        if (!service.definition().customHealth()) {
            throw new CloudMapException("CustomHealthNotFound", "Service " + service.id()
                    + " was created without HealthCheckCustomConfig, so its instances take no custom health status.");
        }
        if (!service.setHealth(instanceId, status.equals("HEALTHY"))) {
            throw instanceNotFound(instanceId);
        }
        return json.createObjectNode();
    }

    private static Map<String, String> targets(RegisteredService service, String instanceId) {
        return Map.of("NAMESPACE", service.definition().namespace().id(), "SERVICE", service.id(), "INSTANCE", instanceId);
    }

    /** A dotted-quad IPv4 literal; anything else would be looked up as a host name when answering DNS. */
    private static boolean isIpv4(String value) {
        if (!value.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            return false;
        }
        for (String octet : value.split("\\.")) {
            if (Integer.parseInt(octet) > 255) {
                return false;
            }
        }
        return true;
    }

    /** An IPv6 literal: only hex digits, colons and dots, so parsing it never turns into a name lookup. */
    private static boolean isIpv6(String value) {
        if (!value.contains(":") || !value.matches("[0-9A-Fa-f:.]{2,45}")) {
            return false;
        }
        try {
            return InetAddress.getByName(value) instanceof Inet6Address;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static CloudMapException instanceNotFound(String instanceId) {
        return new CloudMapException("InstanceNotFound", "No instance found with ID " + instanceId + ".");
    }
}
