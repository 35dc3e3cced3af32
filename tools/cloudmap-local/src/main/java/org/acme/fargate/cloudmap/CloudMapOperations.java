package org.acme.fargate.cloudmap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.arc.All;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The operations of the Route53AutoNaming_v20170314 API that cloudmap-local implements
 * (https://docs.aws.amazon.com/cloud-map/latest/api/API_Operations.html), by name. Any other name is an
 * UnknownOperationException, as AWS answers an operation it does not have.
 */
@ApplicationScoped
public class CloudMapOperations {

    private final Registry registry;
    private final Map<String, ApiOperation> operations = new LinkedHashMap<>();

    CloudMapOperations(Registry registry, @All List<OperationGroup> groups) {
        this.registry = registry;
        groups.forEach(group -> operations.putAll(group.operations()));
    }

    /** The names of the implemented operations. */
    public Set<String> names() {
        return Collections.unmodifiableSet(operations.keySet());
    }

    /** Runs one operation; the request is a JSON object, the answer the JSON body of a 200. */
    public ObjectNode invoke(String operationName, JsonNode request) {
        ApiOperation operation = operations.get(operationName);
        if (operation == null) {
            throw new CloudMapException("UnknownOperationException", "Unknown operation " + operationName + ".");
        }
        if (!request.isObject()) {
            throw new CloudMapException("SerializationException", "The request body must be a JSON object.");
        }
        Requests.onlyMembers(request, operation.members(), operationName);
        registry.countCall(operationName);
        return operation.handler().apply(request);
    }
}
