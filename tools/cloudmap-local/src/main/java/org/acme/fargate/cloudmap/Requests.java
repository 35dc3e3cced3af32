package org.acme.fargate.cloudmap;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/** Reading the members of an AWS JSON 1.1 request, with AWS's error for each kind of mistake. */
final class Requests {

    private Requests() {
    }

    static String required(JsonNode request, String member) {
        return optional(request, member).orElseThrow(
                () -> CloudMapException.invalidInput(member + " is required and must be a non-empty string."));
    }

    static Optional<String> optional(JsonNode request, String member) {
        JsonNode value = request.get(member);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw new CloudMapException("SerializationException", member + " must be a string.");
        }
        if (value.asText().isBlank()) {
            throw CloudMapException.invalidInput(member + " must not be empty.");
        }
        return Optional.of(value.asText());
    }

    /** A string member limited to the values the model's enum lists. */
    static Optional<String> oneOf(JsonNode request, String member, Set<String> allowed) {
        Optional<String> value = optional(request, member);
        value.filter(v -> !allowed.contains(v)).ifPresent(v -> {
            throw CloudMapException.invalidInput(member + " must be one of " + String.join(", ", allowed) + ".");
        });
        return value;
    }

    static long number(JsonNode request, String member, long min, long max) {
        JsonNode value = request.get(member);
        if (value == null || value.isNull()) {
            throw CloudMapException.invalidInput(member + " is required.");
        }
        if (!value.isIntegralNumber()) {
            throw new CloudMapException("SerializationException", member + " must be an integer.");
        }
        if (!value.canConvertToLong() || value.asLong() < min || value.asLong() > max) {
            throw CloudMapException.invalidInput(member + " must be between " + min + " and " + max + ".");
        }
        return value.asLong();
    }

    static Map<String, String> stringMap(JsonNode request, String member) {
        JsonNode value = request.get(member);
        Map<String, String> map = new LinkedHashMap<>();
        if (value == null || value.isNull()) {
            return map;
        }
        if (!value.isObject()) {
            throw new CloudMapException("SerializationException", member + " must be a map of strings.");
        }
        value.fields().forEachRemaining(entry -> {
            if (!entry.getValue().isTextual()) {
                throw new CloudMapException("SerializationException", member + "." + entry.getKey() + " must be a string.");
            }
            map.put(entry.getKey(), entry.getValue().asText());
        });
        return map;
    }

    /** A list of structures (or of strings), each element checked to be of that JSON kind. */
    static List<JsonNode> list(JsonNode request, String member, boolean ofObjects) {
        JsonNode value = request.get(member);
        List<JsonNode> elements = new ArrayList<>();
        if (value == null || value.isNull()) {
            return elements;
        }
        if (!value.isArray()) {
            throw new CloudMapException("SerializationException", member + " must be a list.");
        }
        for (JsonNode element : value) {
            if (ofObjects ? !element.isObject() : !element.isTextual()) {
                throw new CloudMapException("SerializationException",
                        member + " must be a list of " + (ofObjects ? "structures." : "strings."));
            }
            elements.add(element);
        }
        return elements;
    }

    /** A structure member, or empty; members outside {@code allowed} are refused as AWS's parser does. */
    static Optional<JsonNode> structure(JsonNode request, String member, Set<String> allowed) {
        JsonNode value = request.get(member);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isObject()) {
            throw new CloudMapException("SerializationException", member + " must be a structure.");
        }
        onlyMembers(value, allowed, member);
        return Optional.of(value);
    }

    static void onlyMembers(JsonNode structure, Set<String> allowed, String where) {
        structure.fieldNames().forEachRemaining(field -> {
            if (!allowed.contains(field)) {
                throw new CloudMapException("SerializationException", "Unknown member " + field + " in " + where + ".");
            }
        });
    }

    /** The optional {@code Description} of a namespace or service (ResourceDescription: at most 1024 characters). */
    static String description(JsonNode request) {
        String description = optional(request, "Description").orElse(null);
        if (description != null && description.length() > 1024) {
            throw CloudMapException.invalidInput("Description is at most 1024 characters.");
        }
        return description;
    }

    /**
     * Whether a name can be written into the hosted zone: no empty label, none over 63 characters (dnsjava's
     * rules); one trailing dot allowed.
     */
    static boolean isDnsName(String name) {
        String relative = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        if (relative.isEmpty() || relative.startsWith(".") || relative.contains("..")) {
            return false;
        }
        try {
            return Name.fromString(relative + ".").labels() > 1; // the root label counts too
        } catch (TextParseException e) {
            return false;
        }
    }

    /** A {@code TagList}: [{"Key": ..., "Value": ...}], keys 1-128 characters, values up to 256. */
    static Map<String, String> tags(JsonNode request, String member) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (JsonNode tag : list(request, member, true)) {
            onlyMembers(tag, Set.of("Key", "Value"), member);
            String key = required(tag, "Key");
            JsonNode value = tag.get("Value");
            if (value == null || !value.isTextual()) {
                throw CloudMapException.invalidInput("Every tag needs a Value (a string, possibly empty).");
            }
            if (key.length() > 128 || value.asText().length() > 256) {
                throw CloudMapException.invalidInput("Tag keys are at most 128 characters and values at most 256.");
            }
            tags.put(key, value.asText());
        }
        if (tags.size() > Registry.MAX_TAGS) {
            throw new CloudMapException("TooManyTagsException", "A resource can have at most " + Registry.MAX_TAGS + " tags.");
        }
        return tags;
    }

    /**
     * The {@code Filters} of a List operation: each a {@code Name} from {@code names}, {@code Values} and a
     * {@code Condition} (EQ when omitted, as AWS defaults it).
     */
    static List<Filter> filters(JsonNode request, Set<String> names, Set<String> conditions) {
        List<Filter> filters = new ArrayList<>();
        for (JsonNode filter : list(request, "Filters", true)) {
            onlyMembers(filter, Set.of("Name", "Values", "Condition"), "Filters");
            String name = oneOf(filter, "Name", names).orElseThrow(
                    () -> CloudMapException.invalidInput("Every filter needs a Name: " + String.join(", ", names) + "."));
            List<String> values = list(filter, "Values", false).stream().map(JsonNode::asText).toList();
            String condition = oneOf(filter, "Condition", conditions).orElse("EQ");
            int expected = switch (condition) {
                case "IN" -> values.isEmpty() ? 0 : values.size();
                case "BETWEEN" -> 2;
                default -> 1;
            };
            if (values.isEmpty() || values.size() != expected) {
                throw CloudMapException.invalidInput("Filter " + name + " with " + condition + " takes "
                        + (condition.equals("IN") ? "one or more values." : expected + " value(s)."));
            }
            filters.add(new Filter(name, values, condition));
        }
        return filters;
    }

    record Filter(String name, List<String> values, String condition) {

        boolean test(String value) {
            return switch (condition) {
                case "IN" -> values.contains(value);
                case "BEGINS_WITH" -> value != null && value.startsWith(values.get(0));
                default -> values.get(0).equals(value);
            };
        }
    }

    /**
     * One page of a listing: {@code MaxResults} (1-100, default 100) from the position a {@code NextToken} names.
     * The token is the offset, opaque to clients as AWS's are.
     */
    static <T> Page<T> page(JsonNode request, List<T> all) {
        int maxResults = request.hasNonNull("MaxResults") ? (int) number(request, "MaxResults", 1, 100) : 100;
        int from = optional(request, "NextToken").map(Requests::offset).orElse(0);
        int to = Math.min(all.size(), from + maxResults);
        List<T> items = from >= all.size() ? List.of() : all.subList(from, to);
        return new Page<>(items, to < all.size() ? Optional.of(token(to)) : Optional.empty());
    }

    record Page<T>(List<T> items, Optional<String> nextToken) {
    }

    private static String token(int offset) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("offset:" + offset).getBytes());
    }

    private static int offset(String token) {
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(token));
            if (decoded.startsWith("offset:")) {
                return Integer.parseInt(decoded.substring("offset:".length()));
            }
        } catch (IllegalArgumentException e) {
            // falls through to the error below
        }
        throw CloudMapException.invalidInput("NextToken is not a token this API returned.");
    }
}
