package org.acme.fargate.cloudmap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** The operations of one capability (namespaces, services, instances, ...), each declared with its request members. */
abstract class OperationGroup {

    protected final Registry registry;
    protected final ObjectMapper json;
    private final Map<String, ApiOperation> operations = new LinkedHashMap<>();

    OperationGroup(Registry registry, ObjectMapper json) {
        this.registry = registry;
        this.json = json;
    }

    protected final void operation(String name, Set<String> members, Function<JsonNode, ObjectNode> handler) {
        operations.put(name, new ApiOperation(members, handler));
    }

    /** A List operation's answer: one page of items under {@code member}, and the token of the next page. */
    protected final <T> ObjectNode listing(String member, Requests.Page<T> page, Function<T, JsonNode> describe) {
        ObjectNode response = json.createObjectNode();
        ArrayNode items = response.putArray(member);
        page.items().forEach(item -> items.add(describe.apply(item)));
        page.nextToken().ifPresent(token -> response.put("NextToken", token));
        return response;
    }

    final Map<String, ApiOperation> operations() {
        return Collections.unmodifiableMap(operations);
    }
}
