package org.acme.fargate.cloudmap;

import static org.acme.fargate.cloudmap.Requests.optional;
import static org.acme.fargate.cloudmap.Requests.required;
import static org.acme.fargate.cloudmap.Responses.putIfPresent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The service operations. A service's DNS settings decide what the DNS server answers: its record types, their
 * TTLs and its routing policy. As on AWS, UpdateService changes TTLs (and the description) but not the record
 * types or the routing policy: to compare MULTIVALUE and WEIGHTED, create a second service.
 */
@Singleton
class ServiceOperations extends OperationGroup {

    private static final Set<String> DNS_CONFIG_MEMBERS = Set.of("NamespaceId", "RoutingPolicy", "DnsRecords");
    private static final String LABEL = "[a-zA-Z0-9_]([a-zA-Z0-9_-]{0,61}[a-zA-Z0-9_])?";

    ServiceOperations(Registry registry, ObjectMapper json) {
        super(registry, json);
        operation("ListServices", Set.of("MaxResults", "NextToken", "Filters"), this::listServices);
        operation("GetService", Set.of("Id"), this::getService);
        operation("CreateService", Set.of("Name", "NamespaceId", "CreatorRequestId", "Description",
                "DnsConfig", "HealthCheckConfig", "HealthCheckCustomConfig", "Tags", "Type"), this::createService);
        operation("UpdateService", Set.of("Id", "Service"), this::updateService);
        operation("DeleteService", Set.of("Id"), this::deleteService);
    }

    private ObjectNode listServices(JsonNode request) {
        List<Requests.Filter> filters = Requests.filters(request, Set.of("NAMESPACE_ID"), Set.of("EQ", "IN"));
        List<RegisteredService> matching = registry.services().stream()
                .filter(service -> filters.stream().allMatch(filter -> filter.test(service.definition().namespace().id())))
                .toList();
        return listing("Services", Requests.page(request, matching), service -> describe(service, false));
    }

    private ObjectNode getService(JsonNode request) {
        return service(registry.serviceById(required(request, "Id")));
    }

    private ObjectNode createService(JsonNode request) {
        String name = required(request, "Name");
        if (name.length() > 127 || !name.matches(LABEL + "(\\." + LABEL + ")*")) {
            throw CloudMapException.invalidInput("Name must be DNS labels of letters, digits, _ and -, up to 127 "
                    + "characters (for HAProxy's SRV lookups, _name._tcp).");
        }
        if (request.hasNonNull("HealthCheckConfig")) {
            throw CloudMapException.invalidInput("HealthCheckConfig (Route 53 health checks) is for public DNS namespaces; "
                    + "services in a private DNS namespace use HealthCheckCustomConfig.");
        }
        boolean customHealth = Requests.structure(request, "HealthCheckCustomConfig", Set.of("FailureThreshold"))
                .map(config -> {
                    if (config.has("FailureThreshold")) {
                        Requests.number(config, "FailureThreshold", 1, 10);
                    }
                    return true;
                }).orElse(false);
        Optional<String> type = Requests.oneOf(request, "Type", Set.of("HTTP"));
        Optional<JsonNode> dnsConfig = Requests.structure(request, "DnsConfig", DNS_CONFIG_MEMBERS);
        String namespaceId = optional(request, "NamespaceId")
                .or(() -> dnsConfig.flatMap(config -> optional(config, "NamespaceId")))
                .orElseThrow(() -> CloudMapException.invalidInput("NamespaceId is required."));
        Namespace namespace = registry.namespaceById(namespaceId);
        String description = Requests.description(request);

        CloudMapConfig.RoutingPolicy routingPolicy = null;
        List<DnsRecord> records = List.of();
        if (type.isPresent() && dnsConfig.isPresent()) {
            throw CloudMapException.invalidInput("A service of Type HTTP has no DnsConfig: it is found through the API only.");
        }
        if (type.isEmpty()) {
            JsonNode config = dnsConfig.orElseThrow(() -> CloudMapException.invalidInput(
                    "DnsConfig is required for a service in a DNS namespace (or set Type to HTTP)."));
            routingPolicy = Requests.oneOf(config, "RoutingPolicy", Set.of("MULTIVALUE", "WEIGHTED"))
                    .map(CloudMapConfig.RoutingPolicy::valueOf).orElse(CloudMapConfig.RoutingPolicy.MULTIVALUE);
            records = dnsRecords(config);
            checkCombination(records, routingPolicy);
        }
        var definition = new RegisteredService.Definition(Arns.newId("srv"), name, namespace,
                optional(request, "CreatorRequestId").orElse(null), routingPolicy, customHealth, Instant.now());
        RegisteredService service = registry.createService(new RegisteredService(definition, description, records),
                Requests.tags(request, "Tags"));
        return service(service);
    }

    private ObjectNode updateService(JsonNode request) {
        RegisteredService service = registry.serviceById(required(request, "Id"));
        JsonNode change = Requests.structure(request, "Service", Set.of("Description", "DnsConfig", "HealthCheckConfig"))
                .orElseThrow(() -> CloudMapException.invalidInput("Service is required."));
        if (change.hasNonNull("HealthCheckConfig")) {
            throw CloudMapException.invalidInput("HealthCheckConfig (Route 53 health checks) is for public DNS namespaces.");
        }
        List<DnsRecord> records = service.dnsRecords();
        Optional<JsonNode> dnsChange = Requests.structure(change, "DnsConfig", Set.of("DnsRecords"));
        if (dnsChange.isPresent()) {
            records = dnsRecords(dnsChange.get());
            if (!types(records).equals(types(service.dnsRecords()))) {
                throw CloudMapException.invalidInput("UpdateService changes the TTL of the existing DnsRecords ("
                        + types(service.dnsRecords()) + "), not their types; create another service for other records.");
            }
        }
        service.update(change.has("Description") ? Requests.description(change) : service.description(), records);
        return Responses.operationId(registry.submitted(SubmittedOperation.Type.UPDATE_SERVICE,
                Map.of("NAMESPACE", service.definition().namespace().id(), "SERVICE", service.id())));
    }

    private ObjectNode deleteService(JsonNode request) {
        registry.deleteService(required(request, "Id"));
        return json.createObjectNode();
    }

    private static List<DnsRecord> dnsRecords(JsonNode config) {
        List<DnsRecord> records = new ArrayList<>();
        for (JsonNode record : Requests.list(config, "DnsRecords", true)) {
            Requests.onlyMembers(record, Set.of("Type", "TTL"), "DnsRecords");
            String type = Requests.oneOf(record, "Type", Arrays.stream(DnsRecord.Type.values()).map(Enum::name)
                    .collect(Collectors.toSet())).orElseThrow(() -> CloudMapException.invalidInput("Every DnsRecord needs a Type."));
            records.add(new DnsRecord(DnsRecord.Type.valueOf(type), Requests.number(record, "TTL", 0, Integer.MAX_VALUE)));
        }
        if (records.isEmpty()) {
            throw CloudMapException.invalidInput("DnsRecords needs at least one record (A, AAAA, SRV or CNAME).");
        }
        if (types(records).size() != records.size()) {
            throw CloudMapException.invalidInput("DnsRecords names each record type once.");
        }
        return records;
    }

    /** The rules of DnsRecord.Type: CNAME stands alone and needs WEIGHTED routing. */
    private static void checkCombination(List<DnsRecord> records, CloudMapConfig.RoutingPolicy routingPolicy) {
        if (types(records).contains(DnsRecord.Type.CNAME)
                && (records.size() > 1 || routingPolicy != CloudMapConfig.RoutingPolicy.WEIGHTED)) {
            throw CloudMapException.invalidInput("A CNAME record stands alone and needs RoutingPolicy WEIGHTED.");
        }
    }

    private static Set<DnsRecord.Type> types(List<DnsRecord> records) {
        Set<DnsRecord.Type> types = EnumSet.noneOf(DnsRecord.Type.class);
        records.forEach(record -> types.add(record.type()));
        return types;
    }

    private ObjectNode service(RegisteredService service) {
        ObjectNode response = json.createObjectNode();
        response.set("Service", describe(service, true));
        return response;
    }

    /** The {@code Service} shape, or the {@code ServiceSummary} one for listings. */
    private ObjectNode describe(RegisteredService service, boolean full) {
        var definition = service.definition();
        ObjectNode node = json.createObjectNode().put("Id", service.id()).put("Arn", definition.arn())
                .put("Name", service.name());
        if (full) {
            node.put("NamespaceId", definition.namespace().id());
        }
        node.put("Type", service.type());
        putIfPresent(node, "Description", service.description());
        node.put("InstanceCount", service.instances().size());
        if (!service.dnsRecords().isEmpty()) {
            ObjectNode dns = node.putObject("DnsConfig");
            if (full) {
                dns.put("NamespaceId", definition.namespace().id());
            }
            dns.put("RoutingPolicy", service.routingPolicy().name());
            ArrayNode records = dns.putArray("DnsRecords");
            service.dnsRecords().forEach(record -> records.addObject().put("Type", record.type().name()).put("TTL", record.ttl()));
        }
        if (definition.customHealth()) {
            node.putObject("HealthCheckCustomConfig").put("FailureThreshold", 1);
        }
        node.put("CreateDate", Responses.timestamp(definition.createDate()));
        if (full) {
            putIfPresent(node, "CreatorRequestId", definition.creatorRequestId());
        }
        return node;
    }
}
