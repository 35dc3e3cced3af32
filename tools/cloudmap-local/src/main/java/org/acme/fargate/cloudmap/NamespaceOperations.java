package org.acme.fargate.cloudmap;

import static org.acme.fargate.cloudmap.Requests.optional;
import static org.acme.fargate.cloudmap.Requests.required;
import static org.acme.fargate.cloudmap.Responses.putIfPresent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The namespace operations for private DNS namespaces, the kind the templates create. Public DNS and HTTP
 * namespaces are not implemented (their Create operations answer UnknownOperationException).
 */
@Singleton
class NamespaceOperations extends OperationGroup {

    private static final String TYPE = "DNS_PRIVATE";

    NamespaceOperations(Registry registry, ObjectMapper json) {
        super(registry, json);
        operation("ListNamespaces", Set.of("MaxResults", "NextToken", "Filters"), this::listNamespaces);
        operation("GetNamespace", Set.of("Id"), this::getNamespace);
        operation("CreatePrivateDnsNamespace", Set.of("Name", "CreatorRequestId", "Description", "Vpc", "Tags", "Properties"),
                this::createPrivateDnsNamespace);
        operation("DeleteNamespace", Set.of("Id"), this::deleteNamespace);
    }

    private ObjectNode listNamespaces(JsonNode request) {
        List<Requests.Filter> filters = Requests.filters(request, Set.of("TYPE", "NAME", "HTTP_NAME"),
                Set.of("EQ", "IN", "BEGINS_WITH"));
        List<Namespace> matching = registry.namespaces().stream()
                .filter(namespace -> filters.stream().allMatch(filter -> filter.test(
                        filter.name().equals("TYPE") ? TYPE : namespace.name())))
                .toList();
        return listing("Namespaces", Requests.page(request, matching), namespace -> describe(namespace, false));
    }

    private ObjectNode getNamespace(JsonNode request) {
        ObjectNode response = json.createObjectNode();
        response.set("Namespace", describe(registry.namespaceById(required(request, "Id")), true));
        return response;
    }

    private ObjectNode createPrivateDnsNamespace(JsonNode request) {
        String name = required(request, "Name");
        if (!name.matches("[!-~]{1,253}") || !Requests.isDnsName(name)) {
            throw CloudMapException.invalidInput("Name must be a DNS domain name of up to 253 characters, such as shop.internal.");
        }
        String vpc = required(request, "Vpc");
        String description = Requests.description(request);
        long soaTtl = Requests.structure(request, "Properties", Set.of("DnsProperties"))
                .flatMap(properties -> Requests.structure(properties, "DnsProperties", Set.of("SOA")))
                .flatMap(dns -> Requests.structure(dns, "SOA", Set.of("TTL")))
                .map(soa -> Requests.number(soa, "TTL", 0, Integer.MAX_VALUE))
                .orElse(Namespace.DEFAULT_SOA_TTL);
        Namespace namespace = registry.createNamespace(new Namespace(Arns.newId("ns"), name, description,
                optional(request, "CreatorRequestId").orElse(null), vpc, soaTtl, Instant.now()),
                Requests.tags(request, "Tags"));
        return Responses.operationId(registry.submitted(SubmittedOperation.Type.CREATE_NAMESPACE,
                Map.of("NAMESPACE", namespace.id())));
    }

    private ObjectNode deleteNamespace(JsonNode request) {
        String id = required(request, "Id");
        registry.deleteNamespace(id);
        return Responses.operationId(registry.submitted(SubmittedOperation.Type.DELETE_NAMESPACE, Map.of("NAMESPACE", id)));
    }

    /** The {@code Namespace} shape, or the {@code NamespaceSummary} one (no CreatorRequestId) for listings. */
    private ObjectNode describe(Namespace namespace, boolean full) {
        ObjectNode node = json.createObjectNode().put("Id", namespace.id()).put("Arn", namespace.arn())
                .put("Name", namespace.name()).put("Type", TYPE);
        putIfPresent(node, "Description", namespace.description());
        node.put("ServiceCount", registry.services().stream()
                .filter(service -> service.definition().namespace().id().equals(namespace.id())).count());
        ObjectNode properties = node.putObject("Properties");
        properties.putObject("DnsProperties").put("HostedZoneId", namespace.hostedZoneId())
                .putObject("SOA").put("TTL", namespace.soaTtl());
        properties.putObject("HttpProperties").put("HttpName", namespace.name());
        node.put("CreateDate", Responses.timestamp(namespace.createDate()));
        if (full) {
            putIfPresent(node, "CreatorRequestId", namespace.creatorRequestId());
        }
        return node;
    }
}
