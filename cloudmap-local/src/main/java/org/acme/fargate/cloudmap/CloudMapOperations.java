package org.acme.fargate.cloudmap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * The Cloud Map API operations the AWS SDK and ECS use, with the request and response shapes of the
 * Route53AutoNaming_v20170314 API (https://docs.aws.amazon.com/cloud-map/latest/api/API_Operations.html).
 */
@ApplicationScoped
public class CloudMapOperations {

    private static final String ARN_PREFIX = "arn:aws:servicediscovery:local:000000000000:";

    private final Registry registry;
    private final ObjectMapper json;
    private final Map<String, Operation> operations = new LinkedHashMap<>();

    private record Operation(Set<String> fields, Function<JsonNode, ObjectNode> handler) {
    }

    CloudMapOperations(Registry registry, ObjectMapper json) {
        this.registry = registry;
        this.json = json;
        operations.put("RegisterInstance", new Operation(
                Set.of("ServiceId", "InstanceId", "CreatorRequestId", "Attributes"), this::registerInstance));
        operations.put("DeregisterInstance", new Operation(Set.of("ServiceId", "InstanceId"), this::deregisterInstance));
        operations.put("DiscoverInstances", new Operation(Set.of("NamespaceName", "ServiceName", "MaxResults",
                "QueryParameters", "OptionalParameters", "HealthStatus", "OwnerAccount"), this::discoverInstances));
        operations.put("DiscoverInstancesRevision", new Operation(
                Set.of("NamespaceName", "ServiceName", "OwnerAccount"), this::discoverInstancesRevision));
        operations.put("ListInstances", new Operation(Set.of("ServiceId", "MaxResults", "NextToken"), this::listInstances));
        operations.put("GetInstance", new Operation(Set.of("ServiceId", "InstanceId"), this::getInstance));
        operations.put("GetInstancesHealthStatus", new Operation(
                Set.of("ServiceId", "Instances", "MaxResults", "NextToken"), this::getInstancesHealthStatus));
        operations.put("UpdateInstanceCustomHealthStatus", new Operation(
                Set.of("ServiceId", "InstanceId", "Status"), this::updateInstanceCustomHealthStatus));
        operations.put("ListNamespaces", new Operation(Set.of("MaxResults", "NextToken", "Filters"), this::listNamespaces));
        operations.put("ListServices", new Operation(Set.of("MaxResults", "NextToken", "Filters"), this::listServices));
    }

    /** Runs one operation; the request is a JSON object, the answer the JSON body of a 200. */
    public ObjectNode invoke(String operationName, JsonNode request) {
        Operation operation = operations.get(operationName);
        if (operation == null) {
            throw new CloudMapException("UnknownOperationException", "Unknown operation " + operationName + ".");
        }
        if (!request.isObject()) {
            throw new CloudMapException("SerializationException", "The request body must be a JSON object.");
        }
        request.fieldNames().forEachRemaining(field -> {
            if (!operation.fields().contains(field)) {
                throw new CloudMapException("SerializationException",
                        "Unknown field " + field + " for " + operationName + ".");
            }
        });
        registry.countCall(operationName);
        return operation.handler().apply(request);
    }

    private ObjectNode registerInstance(JsonNode request) {
        RegisteredService service = registry.serviceById(required(request, "ServiceId"));
        String instanceId = required(request, "InstanceId");
        if (instanceId.length() > 64 || !instanceId.matches("[A-Za-z0-9._/:-]+")) {
            throw CloudMapException.invalidInput("InstanceId must be 1-64 characters of letters, digits and ._/:-");
        }
        Map<String, String> attributes = stringMap(request, "Attributes");
        String ipv4 = attributes.get(Instance.IPV4);
        if (!isIpv4(ipv4)) {
            throw CloudMapException.invalidInput("Attributes must include AWS_INSTANCE_IPV4, an IPv4 address, "
                    + "for a service with A records.");
        }
        String port = attributes.get(Instance.PORT);
        if (port == null || !port.matches("\\d{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            throw CloudMapException.invalidInput("Attributes must include AWS_INSTANCE_PORT (1-65535) "
                    + "for a service with SRV records.");
        }
        String initialHealth = attributes.getOrDefault(Instance.INIT_HEALTH, "HEALTHY");
        if (!initialHealth.equals("HEALTHY") && !initialHealth.equals("UNHEALTHY")) {
            throw CloudMapException.invalidInput("AWS_INIT_HEALTH_STATUS must be HEALTHY or UNHEALTHY.");
        }
        service.register(new Instance(instanceId, request.path("CreatorRequestId").asText(null),
                Collections.unmodifiableMap(attributes), initialHealth.equals("HEALTHY")));
        return operationId();
    }

    private ObjectNode deregisterInstance(JsonNode request) {
        RegisteredService service = registry.serviceById(required(request, "ServiceId"));
        String instanceId = required(request, "InstanceId");
        if (!service.deregister(instanceId)) {
            throw instanceNotFound(instanceId);
        }
        return operationId();
    }

    private ObjectNode discoverInstances(JsonNode request) {
        RegisteredService service = registry.serviceByName(required(request, "NamespaceName"),
                required(request, "ServiceName"));
        int maxResults = request.path("MaxResults").asInt(100);
        if (request.has("MaxResults") && (!request.get("MaxResults").isInt() || maxResults < 1 || maxResults > 1000)) {
            throw CloudMapException.invalidInput("MaxResults must be between 1 and 1000.");
        }
        String healthFilter = request.path("HealthStatus").asText("HEALTHY");
        Map<String, String> query = stringMap(request, "QueryParameters");
        Map<String, String> optional = stringMap(request, "OptionalParameters");

        List<Instance> matching = service.instances().stream()
                .filter(instance -> query.entrySet().stream()
                        .allMatch(e -> e.getValue().equals(instance.attributes().get(e.getKey()))))
                .toList();
        List<Instance> byHealth = switch (healthFilter) {
            case "HEALTHY" -> matching.stream().filter(Instance::healthy).toList();
            case "UNHEALTHY" -> matching.stream().filter(instance -> !instance.healthy()).toList();
            case "ALL" -> matching;
            case "HEALTHY_OR_ELSE_ALL" -> matching.stream().anyMatch(Instance::healthy)
                    ? matching.stream().filter(Instance::healthy).toList() : matching;
            default -> throw CloudMapException.invalidInput(
                    "HealthStatus must be HEALTHY, UNHEALTHY, ALL or HEALTHY_OR_ELSE_ALL.");
        };
        // OptionalParameters narrow the result only when some instance left matches them (AWS's rule), so a
        // client preferring its own AZ still gets the other AZs' healthy instances when its own has none.
        List<Instance> preferred = byHealth.stream()
                .filter(instance -> optional.entrySet().stream()
                        .allMatch(e -> e.getValue().equals(instance.attributes().get(e.getKey()))))
                .toList();
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

    private ObjectNode discoverInstancesRevision(JsonNode request) {
        RegisteredService service = registry.serviceByName(required(request, "NamespaceName"),
                required(request, "ServiceName"));
        return json.createObjectNode().put("InstancesRevision", service.revision());
    }

    private ObjectNode listInstances(JsonNode request) {
        RegisteredService service = registry.serviceById(required(request, "ServiceId"));
        ObjectNode response = json.createObjectNode();
        ArrayNode instances = response.putArray("Instances");
        for (Instance instance : service.instances()) {
            instances.addObject().put("Id", instance.id()).set("Attributes", json.valueToTree(instance.attributes()));
        }
        return response;
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
        ObjectNode response = json.createObjectNode();
        ObjectNode status = response.putObject("Status");
        JsonNode wanted = request.path("Instances");
        if (wanted.isArray() && !wanted.isEmpty()) {
            for (JsonNode id : wanted) {
                status.put(id.asText(), service.instance(id.asText()).map(Instance::healthStatus).orElse("UNKNOWN"));
            }
        } else {
            service.instances().forEach(instance -> status.put(instance.id(), instance.healthStatus()));
        }
        return response;
    }

    private ObjectNode updateInstanceCustomHealthStatus(JsonNode request) {
        RegisteredService service = registry.serviceById(required(request, "ServiceId"));
        String instanceId = required(request, "InstanceId");
        String status = required(request, "Status");
        if (!status.equals("HEALTHY") && !status.equals("UNHEALTHY")) {
            throw CloudMapException.invalidInput("Status must be HEALTHY or UNHEALTHY.");
        }
        if (!service.setHealth(instanceId, status.equals("HEALTHY"))) {
            throw instanceNotFound(instanceId);
        }
        return json.createObjectNode();
    }

    private ObjectNode listNamespaces(JsonNode request) {
        ObjectNode response = json.createObjectNode();
        ArrayNode namespaces = response.putArray("Namespaces");
        for (Registry.Namespace namespace : registry.namespaces()) {
            ObjectNode summary = namespaces.addObject()
                    .put("Id", namespace.id()).put("Arn", ARN_PREFIX + "namespace/" + namespace.id())
                    .put("Name", namespace.name()).put("Type", "DNS_PRIVATE");
            ObjectNode properties = summary.putObject("Properties");
            properties.putObject("DnsProperties").put("HostedZoneId", "Z" + namespace.id().toUpperCase());
            properties.putObject("HttpProperties").put("HttpName", namespace.name());
        }
        return response;
    }

    private ObjectNode listServices(JsonNode request) {
        ObjectNode response = json.createObjectNode();
        ArrayNode services = response.putArray("Services");
        for (RegisteredService service : registry.services()) {
            ObjectNode summary = services.addObject()
                    .put("Id", service.id()).put("Arn", ARN_PREFIX + "service/" + service.id())
                    .put("Name", service.name()).put("Type", "DNS_HTTP")
                    .put("InstanceCount", service.instances().size());
            ObjectNode dns = summary.putObject("DnsConfig").put("RoutingPolicy", service.routingPolicy().name());
            ArrayNode records = dns.putArray("DnsRecords");
            records.addObject().put("Type", "SRV").put("TTL", service.ttl());
            records.addObject().put("Type", "A").put("TTL", service.ttl());
            summary.putObject("HealthCheckCustomConfig").put("FailureThreshold", 1);
        }
        return response;
    }

    private ObjectNode operationId() {
        return json.createObjectNode().put("OperationId", UUID.randomUUID().toString());
    }

    /** A dotted-quad IPv4 literal; anything else would be looked up as a host name when answering DNS. */
    private static boolean isIpv4(String value) {
        if (value == null || !value.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            return false;
        }
        for (String octet : value.split("\\.")) {
            if (Integer.parseInt(octet) > 255) {
                return false;
            }
        }
        return true;
    }

    private static CloudMapException instanceNotFound(String instanceId) {
        return new CloudMapException("InstanceNotFound", "No instance found with ID " + instanceId + ".");
    }

    private static String required(JsonNode request, String field) {
        JsonNode value = request.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw CloudMapException.invalidInput(field + " is required and must be a non-empty string.");
        }
        return value.asText();
    }

    private static Map<String, String> stringMap(JsonNode request, String field) {
        JsonNode value = request.get(field);
        Map<String, String> map = new LinkedHashMap<>();
        if (value == null || value.isNull()) {
            return map;
        }
        if (!value.isObject()) {
            throw new CloudMapException("SerializationException", field + " must be a map of strings.");
        }
        value.fields().forEachRemaining(entry -> {
            if (!entry.getValue().isTextual()) {
                throw new CloudMapException("SerializationException", field + "." + entry.getKey() + " must be a string.");
            }
            map.put(entry.getKey(), entry.getValue().asText());
        });
        return map;
    }
}
