package org.acme.fargate.cloudmap;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** Writing the members of an AWS JSON 1.1 response. */
final class Responses {

    private Responses() {
    }

    /** AWS JSON 1.1 writes a timestamp as seconds since the epoch, with a fraction. */
    static double timestamp(Instant instant) {
        return instant.toEpochMilli() / 1000.0;
    }

    static ObjectNode operationId(String id) {
        return JsonNodeFactory.instance.objectNode().put("OperationId", id);
    }

    /** Puts a string member only when it has a value, as AWS leaves absent members out. */
    static ObjectNode putIfPresent(ObjectNode node, String member, String value) {
        return value == null ? node : node.put(member, value);
    }
}
