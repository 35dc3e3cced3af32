package org.acme.fargate.storefront;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * service-a keeps its own copy of service-b's records (the two deploy independently), and its tests answer
 * through a stand-in. Both are checked here against service-b's contract, the OpenAPI document service-b
 * generates and commits (service-b/openapi/openapi.json, kept current by service-b's OpenApiContractTest), so a
 * field renamed on either side fails the build instead of a deployment.
 */
class ServiceBContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNode CONTRACT = read(Path.of("..", "service-b", "openapi", "openapi.json"));

    private static JsonNode read(Path path) {
        try {
            return JSON.readTree(path.toFile());
        } catch (IOException e) {
            throw new IllegalStateException("service-b's contract is missing: " + path, e);
        }
    }

    @ParameterizedTest
    @ValueSource(classes = {Product.class, Quote.class, Quote.Line.class, QuoteRequest.class, QuoteRequest.Item.class})
    void theClientsRecordsHaveTheContractsFields(Class<?> record) {
        JsonNode schema = CONTRACT.path("components").path("schemas").path(record.getSimpleName());
        assertFalse(schema.isMissingNode(), "service-b's contract has no schema " + record.getSimpleName());
        Set<String> contract = new TreeSet<>();
        schema.path("properties").fieldNames().forEachRemaining(contract::add);
        Set<String> ours = Arrays.stream(record.getRecordComponents()).map(c -> c.getName())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(contract, ours, record.getSimpleName() + ": service-a's record and service-b's contract differ");
    }

    @Test
    void theStandInAnswersAsTheContractSays() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        try (ServiceBStandIn standIn = ServiceBStandIn.healthy()) {
            List<String> violations = new ArrayList<>();
            for (String[] call : new String[][] {{"GET", "/products"}, {"GET", "/products/{sku}", "/products/TEA-001"},
                    {"POST", "/quotes"}}) {
                String path = call.length > 2 ? call[2] : call[1];
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + standIn.address() + path))
                        .header("X-Api-Key", ServiceBStandIn.KEY);
                request = call[0].equals("POST") ? request.POST(HttpRequest.BodyPublishers.ofString(
                        "{\"items\":[{\"sku\":\"TEA-001\",\"quantity\":2}]}")).header("Content-Type", "application/json")
                        : request.GET();
                HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
                JsonNode schema = CONTRACT.path("paths").path(call[1]).path(call[0].toLowerCase()).path("responses")
                        .path("200").path("content").path("application/json").path("schema");
                assertFalse(schema.isMissingNode(), "the contract describes " + call[0] + " " + call[1]);
                violations.addAll(violations(schema, JSON.readTree(response.body()), call[0] + " " + path));
            }
            assertEquals(List.of(), violations);
        }
    }

    /** The checker fails a body that strays from the contract: a renamed field, a missing one, a wrong type. */
    @Test
    void theCheckCatchesABodyThatStrays() throws Exception {
        JsonNode product = CONTRACT.path("components").path("schemas").path("Product");
        String good = "{\"sku\":\"TEA-001\",\"name\":\"Tea\",\"description\":\"d\",\"unitPriceCents\":100,\"currency\":\"USD\"}";
        assertEquals(List.of(), violations(product, JSON.readTree(good), "$"));
        assertFalse(violations(product, JSON.readTree(good.replace("\"sku\"", "\"skuu\"")), "$").isEmpty());
        assertFalse(violations(product, JSON.readTree(good.replace("100", "\"100\"")), "$").isEmpty());
    }

    /** Field names, required fields and JSON types, following $ref: what a renamed or retyped field breaks. */
    static List<String> violations(JsonNode schema, JsonNode value, String where) {
        List<String> found = new ArrayList<>();
        if (schema.has("$ref")) {
            String name = schema.path("$ref").asText().replace("#/components/schemas/", "");
            return violations(CONTRACT.path("components").path("schemas").path(name), value, where);
        }
        if (value.isNull()) {
            return found;
        }
        Set<String> types = new TreeSet<>();
        if (schema.path("type").isArray()) {
            schema.path("type").forEach(type -> types.add(type.asText()));
        } else if (schema.has("type")) {
            types.add(schema.path("type").asText());
        }
        String actual = value.isTextual() ? "string" : value.isIntegralNumber() ? "integer" : value.isNumber() ? "number"
                : value.isBoolean() ? "boolean" : value.isArray() ? "array" : "object";
        if (!types.isEmpty() && !types.contains(actual) && !(actual.equals("integer") && types.contains("number"))) {
            found.add(where + ": " + actual + " where the contract says " + types);
            return found;
        }
        if (value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                found.addAll(violations(schema.path("items"), value.get(i), where + "[" + i + "]"));
            }
        } else if (value.isObject() && schema.has("properties")) {
            schema.path("required").forEach(required -> {
                if (!value.has(required.asText())) {
                    found.add(where + ": no " + required.asText() + ", which the contract requires");
                }
            });
            value.fieldNames().forEachRemaining(field -> {
                JsonNode property = schema.path("properties").path(field);
                if (property.isMissingNode()) {
                    found.add(where + ": " + field + " is not in the contract");
                } else {
                    found.addAll(violations(property, value.get(field), where + "." + field));
                }
            });
        }
        return found;
    }
}
