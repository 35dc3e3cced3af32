package org.acme.fargate.cloudmap;

import static org.acme.fargate.cloudmap.Requests.required;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Set;

/** GetOperation and ListOperations: how a client learns that a change it submitted is done. */
@Singleton
class OperationStatusOperations extends OperationGroup {

    OperationStatusOperations(Registry registry, ObjectMapper json) {
        super(registry, json);
        operation("GetOperation", Set.of("OperationId", "OwnerAccount"), this::getOperation);
        operation("ListOperations", Set.of("MaxResults", "NextToken", "Filters"), this::listOperations);
    }

    private ObjectNode getOperation(JsonNode request) {
        String id = required(request, "OperationId");
        SubmittedOperation operation = registry.operations().stream().filter(candidate -> candidate.id().equals(id))
                .findFirst().orElseThrow(() -> new CloudMapException("OperationNotFound", "No operation found with ID " + id + "."));
        ObjectNode body = json.createObjectNode().put("Id", operation.id()).put("Type", operation.type().name())
                .put("Status", SubmittedOperation.STATUS)
                .put("CreateDate", Responses.timestamp(operation.createDate()))
                .put("UpdateDate", Responses.timestamp(operation.createDate()));
        ObjectNode targets = body.putObject("Targets");
        operation.targets().forEach(targets::put);
        ObjectNode response = json.createObjectNode();
        response.set("Operation", body);
        return response;
    }

    private ObjectNode listOperations(JsonNode request) {
        List<Requests.Filter> filters = Requests.filters(request,
                Set.of("NAMESPACE_ID", "SERVICE_ID", "STATUS", "TYPE", "UPDATE_DATE"), Set.of("EQ", "IN", "BETWEEN"));
        for (Requests.Filter filter : filters) {
            boolean between = filter.condition().equals("BETWEEN");
            if (between != filter.name().equals("UPDATE_DATE")) {
                throw CloudMapException.invalidInput("UPDATE_DATE takes BETWEEN (two epoch seconds), and only it does.");
            }
        }
        List<SubmittedOperation> matching = registry.operations().stream()
                .filter(operation -> filters.stream().allMatch(filter -> matches(filter, operation)))
                .toList();
        return listing("Operations", Requests.page(request, matching), operation -> json.createObjectNode()
                .put("Id", operation.id()).put("Status", SubmittedOperation.STATUS));
    }

    private static boolean matches(Requests.Filter filter, SubmittedOperation operation) {
        return switch (filter.name()) {
            case "NAMESPACE_ID" -> filter.test(operation.targets().get("NAMESPACE"));
            case "SERVICE_ID" -> filter.test(operation.targets().get("SERVICE"));
            case "STATUS" -> filter.test(SubmittedOperation.STATUS);
            case "TYPE" -> filter.test(operation.type().name());
            default -> {
                double at = Responses.timestamp(operation.createDate());
                yield at >= epochSeconds(filter.values().get(0)) && at <= epochSeconds(filter.values().get(1));
            }
        };
    }

    private static double epochSeconds(String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw CloudMapException.invalidInput("UPDATE_DATE values are epoch seconds, such as 1735689600.");
        }
    }
}
