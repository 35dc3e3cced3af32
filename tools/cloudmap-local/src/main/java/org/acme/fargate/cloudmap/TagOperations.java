package org.acme.fargate.cloudmap;

import static org.acme.fargate.cloudmap.Requests.required;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Set;

/** Tags on namespaces and services, by ARN, as CloudFormation and the console set them. */
@Singleton
class TagOperations extends OperationGroup {

    TagOperations(Registry registry, ObjectMapper json) {
        super(registry, json);
        operation("ListTagsForResource", Set.of("ResourceARN"), this::listTagsForResource);
        operation("TagResource", Set.of("ResourceARN", "Tags"), this::tagResource);
        operation("UntagResource", Set.of("ResourceARN", "TagKeys"), this::untagResource);
    }

    private ObjectNode listTagsForResource(JsonNode request) {
        ObjectNode response = json.createObjectNode();
        ArrayNode tags = response.putArray("Tags");
        registry.tags(required(request, "ResourceARN")).forEach((key, value) -> tags.addObject().put("Key", key).put("Value", value));
        return response;
    }

    private ObjectNode tagResource(JsonNode request) {
        String arn = required(request, "ResourceARN");
        if (!request.has("Tags")) {
            throw CloudMapException.invalidInput("Tags is required.");
        }
        registry.tag(arn, Requests.tags(request, "Tags"));
        return json.createObjectNode();
    }

    private ObjectNode untagResource(JsonNode request) {
        String arn = required(request, "ResourceARN");
        if (!request.has("TagKeys")) {
            throw CloudMapException.invalidInput("TagKeys is required.");
        }
        List<String> keys = Requests.list(request, "TagKeys", false).stream().map(JsonNode::asText).toList();
        registry.untag(arn, keys);
        return json.createObjectNode();
    }
}
