package org.acme.fargate.cloudmap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * AWS's own service model of Cloud Map ({@code servicediscovery/2017-03-14/service-2.json}, the file the AWS CLI
 * and botocore are generated from), read so that cloudmap-local is checked against AWS's definition of the API
 * rather than against our reading of it. Written by hand because no library on Maven Central reads botocore's
 * model format; it is small: shapes are structures, lists, maps and scalars with enums and bounds.
 */
final class ApiModel {

    /** Where Debian's awscli and python3-botocore packages put the model; CLOUD_MAP_API_MODEL overrides. */
    private static final List<String> KNOWN_PLACES = List.of(
            "/usr/lib/python3/dist-packages/awscli/botocore/data/servicediscovery/2017-03-14/service-2.json",
            "/usr/lib/python3/dist-packages/botocore/data/servicediscovery/2017-03-14/service-2.json",
            "/usr/lib/python3/dist-packages/botocore/data/servicediscovery/2017-03-14/service-2.json.gz");

    private final JsonNode shapes;
    private final JsonNode operations;

    private ApiModel(JsonNode model) {
        this.shapes = model.path("shapes");
        this.operations = model.path("operations");
    }

    static Optional<ApiModel> find() throws IOException {
        String override = System.getenv("CLOUD_MAP_API_MODEL");
        Optional<Path> path = Stream.concat(Stream.ofNullable(override), KNOWN_PLACES.stream())
                .map(Path::of).filter(Files::isRegularFile).findFirst();
        if (path.isEmpty()) {
            return Optional.empty();
        }
        try (InputStream in = path.get().toString().endsWith(".gz")
                ? new GZIPInputStream(Files.newInputStream(path.get())) : Files.newInputStream(path.get())) {
            return Optional.of(new ApiModel(new ObjectMapper().readTree(in)).withInstanceRevisions());
        }
    }

    /**
     * Debian 12's awscli carries a model from before Cloud Map added instance revisions (DiscoverInstancesRevision
     * and DiscoverInstancesResponse.InstancesRevision, a long). On such a model the member is added as the newer
     * model defines it, so the rest of the response is still checked; with a newer model nothing changes.
     */
    ApiModel withInstanceRevisions() {
        if (!operations.has("DiscoverInstancesRevision")) {
            ((ObjectNode) shapes).putObject("Revision").put("type", "long");
            ((ObjectNode) shapes.path("DiscoverInstancesResponse").path("members")).putObject("InstancesRevision")
                    .put("shape", "Revision");
        }
        return this;
    }

    Set<String> operationNames() {
        Set<String> names = new HashSet<>();
        operations.fieldNames().forEachRemaining(names::add);
        return names;
    }

    String inputShape(String operation) {
        return operations.path(operation).path("input").path("shape").asText();
    }

    Optional<String> outputShape(String operation) {
        return Optional.of(operations.path(operation).path("output").path("shape").asText()).filter(s -> !s.isEmpty());
    }

    Set<String> errors(String operation) {
        Set<String> errors = new HashSet<>();
        operations.path(operation).path("errors").forEach(error -> errors.add(error.path("shape").asText()));
        return errors;
    }

    List<String> required(String shape) {
        List<String> required = new ArrayList<>();
        shapes.path(shape).path("required").forEach(member -> required.add(member.asText()));
        return required;
    }

    List<String> members(String shape) {
        List<String> members = new ArrayList<>();
        shapes.path(shape).path("members").fieldNames().forEachRemaining(members::add);
        return members;
    }

    String memberShape(String shape, String member) {
        return shapes.path(shape).path("members").path(member).path("shape").asText();
    }

    /**
     * A value of the shape: {@code fixture} supplies strings by member name (ids and names that must exist); any
     * other string is its first enum value or letters within its bounds; numbers take their minimum; structures
     * their required members, lists and maps one element.
     */
    JsonNode example(String shape, String member, Function<String, String> fixture) {
        JsonNode definition = shapes.path(shape);
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        switch (definition.path("type").asText()) {
            case "structure" -> {
                ObjectNode node = nodes.objectNode();
                for (String required : required(shape)) {
                    node.set(required, example(memberShape(shape, required), required, fixture));
                }
                return node;
            }
            case "list" -> {
                ArrayNode node = nodes.arrayNode();
                return node.add(example(definition.path("member").path("shape").asText(), member, fixture));
            }
            case "map" -> {
                ObjectNode node = nodes.objectNode();
                return node.set(example(definition.path("key").path("shape").asText(), member + "Key", fixture).asText(),
                        example(definition.path("value").path("shape").asText(), member + "Value", fixture));
            }
            case "integer", "long" -> {
                return nodes.numberNode(definition.path("min").asLong(1));
            }
            case "boolean" -> {
                return nodes.booleanNode(true);
            }
            case "timestamp", "double", "float" -> {
                return nodes.numberNode(0);
            }
            default -> {
                String fixed = fixture.apply(member);
                if (fixed != null) {
                    return nodes.textNode(fixed);
                }
                if (definition.has("enum")) {
                    return definition.path("enum").get(0);
                }
                if (definition.has("pattern")) {
                    throw new IllegalStateException("No fixture for " + member + " (shape " + shape + " has a pattern)");
                }
                return nodes.textNode("x".repeat(Math.max(1, definition.path("min").asInt(1))));
            }
        }
    }

    /** Every way the value breaks the shape: unknown or missing members, wrong types, values outside enums and bounds. */
    List<String> violations(String shape, JsonNode value) {
        List<String> found = new ArrayList<>();
        check(shape, value, "$", found);
        return found;
    }

    private void check(String shape, JsonNode value, String path, List<String> found) {
        JsonNode definition = shapes.path(shape);
        String type = definition.path("type").asText();
        switch (type) {
            case "structure" -> {
                if (!value.isObject()) {
                    found.add(path + ": a structure (" + shape + ") expected, got " + value.getNodeType());
                    return;
                }
                for (String required : required(shape)) {
                    if (!value.has(required)) {
                        found.add(path + ": required member " + required + " of " + shape + " is missing");
                    }
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    if (!definition.path("members").has(field.getKey())) {
                        found.add(path + ": " + shape + " has no member " + field.getKey());
                    } else {
                        check(memberShape(shape, field.getKey()), field.getValue(), path + "." + field.getKey(), found);
                    }
                }
            }
            case "list" -> {
                if (!value.isArray()) {
                    found.add(path + ": a list (" + shape + ") expected");
                    return;
                }
                bounds(definition, value.size(), path, found);
                for (int i = 0; i < value.size(); i++) {
                    check(definition.path("member").path("shape").asText(), value.get(i), path + "[" + i + "]", found);
                }
            }
            case "map" -> {
                if (!value.isObject()) {
                    found.add(path + ": a map (" + shape + ") expected");
                    return;
                }
                value.fields().forEachRemaining(entry -> {
                    check(definition.path("key").path("shape").asText(), JsonNodeFactory.instance.textNode(entry.getKey()),
                            path + "{key}", found);
                    check(definition.path("value").path("shape").asText(), entry.getValue(), path + "." + entry.getKey(), found);
                });
            }
            case "integer", "long" -> {
                if (!value.isIntegralNumber()) {
                    found.add(path + ": an integer (" + shape + ") expected, got " + value);
                } else {
                    bounds(definition, value.asLong(), path, found);
                }
            }
            case "timestamp", "double", "float" -> {
                if (!value.isNumber()) {
                    found.add(path + ": a number (" + shape + ") expected, got " + value);
                }
            }
            case "boolean" -> {
                if (!value.isBoolean()) {
                    found.add(path + ": a boolean expected");
                }
            }
            default -> {
                if (!value.isTextual()) {
                    found.add(path + ": a string (" + shape + ") expected, got " + value.getNodeType());
                    return;
                }
                String text = value.asText();
                if (definition.has("enum") && !contains(definition.path("enum"), text)) {
                    found.add(path + ": " + text + " is not one of " + definition.path("enum"));
                }
                bounds(definition, text.length(), path, found);
                if (definition.has("pattern")) {
                    try {
                        if (!Pattern.compile(definition.path("pattern").asText()).matcher(text).find()) {
                            found.add(path + ": " + text + " does not match " + definition.path("pattern").asText());
                        }
                    } catch (PatternSyntaxException e) {
                        // A few of AWS's patterns are written for another regex dialect; their bounds still apply.
                    }
                }
            }
        }
    }

    private static void bounds(JsonNode definition, long size, String path, List<String> found) {
        if (definition.has("min") && size < definition.path("min").asLong()) {
            found.add(path + ": " + size + " is below the minimum " + definition.path("min"));
        }
        if (definition.has("max") && size > definition.path("max").asLong()) {
            found.add(path + ": " + size + " is above the maximum " + definition.path("max"));
        }
    }

    private static boolean contains(JsonNode array, String text) {
        for (JsonNode element : array) {
            if (element.asText().equals(text)) {
                return true;
            }
        }
        return false;
    }
}
