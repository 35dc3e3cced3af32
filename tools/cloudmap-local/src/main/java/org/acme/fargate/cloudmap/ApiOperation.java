package org.acme.fargate.cloudmap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;
import java.util.function.Function;

/**
 * One operation of the API: the members its request may carry (anything else is a SerializationException, as
 * AWS's JSON protocol answers) and what it does.
 */
record ApiOperation(Set<String> members, Function<JsonNode, ObjectNode> handler) {
}
