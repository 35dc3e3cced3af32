package org.acme.fargate.cloudmap;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * cloudmap-local against AWS's own model of the Cloud Map API (the service-2.json that the AWS CLI ships):
 * for every implemented operation, a request built from the model's input shape succeeds and its answer matches
 * the output shape; each required member missing in turn is an error the model lists for that operation, in
 * that error's shape; each optional member is accepted. The model comes from Debian's awscli package, which CI
 * installs; elsewhere the test is skipped, saying so.
 */
@QuarkusTest
class ApiModelConformanceTest {

    private static final String TARGET = "Route53AutoNaming_v20170314.";
    private static final String NAMESPACE_ID = "ns-shopinternal00001";
    private static ApiModel model;
    /** Added to Cloud Map after the model in Debian 12's awscli (2.9); checked wherever a newer model is found. */
    private static final Set<String> NEWER_THAN_DEBIANS_MODEL = Set.of("DiscoverInstancesRevision");

    @Inject
    Registry registry;

    @Inject
    CloudMapOperations implemented;

    private final ObjectMapper json = new ObjectMapper();
    private Map<String, String> world;

    @BeforeAll
    static void loadModel() throws Exception {
        model = ApiModel.find().orElse(null);
        if (model == null && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("CI must install awscli: it carries the Cloud Map API model");
        }
        Assumptions.assumeTrue(model != null,
                "SKIPPED LOUDLY: no Cloud Map API model (apt-get install awscli, or set CLOUD_MAP_API_MODEL)");
    }

    @AfterEach
    void reset() {
        CloudMapApiTest.resetTo(registry);
    }

    @Test
    void implementedOperationsAreExactlyTheModelsThatAnswerAndTheReadmeLists() throws Exception {
        Set<String> answering = new TreeSet<>();
        for (String operation : model.operationNames()) {
            if (!"UnknownOperationException".equals(call(operation, json.createObjectNode()).path("__type").asText())) {
                answering.add(operation);
            }
        }
        Set<String> inModel = new TreeSet<>(implemented.names());
        inModel.retainAll(model.operationNames());
        assertEquals(inModel, answering, "the model's operations that answer are the implemented ones");
        Set<String> beyondModel = new TreeSet<>(implemented.names());
        beyondModel.removeAll(model.operationNames());
        assertTrue(NEWER_THAN_DEBIANS_MODEL.containsAll(beyondModel), "implemented but in no model: " + beyondModel);

        String readme = Files.readString(Path.of("README.md"));
        assertEquals(new TreeSet<>(implemented.names()), backticked(readme, "Implemented:"), "README's implemented list");
        Set<String> notImplemented = new TreeSet<>(model.operationNames());
        notImplemented.removeAll(answering);
        Set<String> listed = backticked(readme, "Not implemented:");
        assertTrue(listed.containsAll(notImplemented), "README's list of what is not implemented lacks "
                + notImplemented.stream().filter(name -> !listed.contains(name)).toList());
    }

    @Test
    void everyImplementedOperationSpeaksTheModelsShapes() throws Exception {
        List<String> failures = new ArrayList<>();
        Set<String> inModel = new TreeSet<>(implemented.names());
        inModel.retainAll(model.operationNames());
        for (String operation : inModel) {
            String input = model.inputShape(operation);
            ObjectNode request = validRequest(operation);
            failures.addAll(prefixed(operation + " request built from the model", model.violations(input, request)));
            expectSuccess(operation, request, failures);

            for (String required : model.required(input)) {
                ObjectNode without = validRequest(operation);
                without.remove(required);
                expectModelError(operation, without, "without " + required, failures);
            }
            for (String optional : model.members(input)) {
                if (request.has(optional)) {
                    continue;
                }
                ObjectNode with = validRequest(operation);
                with.set(optional, model.example(model.memberShape(input, optional), optional, member -> fixture(operation, member)));
                JsonNode answer = call(operation, with);
                if (answer.has("__type")) {
                    expectModelError(operation, answer, "with " + optional, failures);
                } else {
                    model.outputShape(operation).ifPresent(output -> failures.addAll(
                            prefixed(operation + " with " + optional, model.violations(output, answer))));
                }
            }
            reset();
        }
        assertEquals(List.of(), failures);
    }

    /** The checker itself can fail: a renamed member, a wrong type, a missing required member, a value outside an enum. */
    @Test
    void theShapeCheckCatchesAResponseThatStraysFromTheModel() throws Exception {
        JsonNode service = call("GetService", json.createObjectNode().put("Id", CloudMapApiTest.SERVICE_ID));
        assertEquals(List.of(), model.violations("GetServiceResponse", service));

        String text = service.toString();
        assertTrue(model.violations("GetServiceResponse", json.readTree(text.replace("\"RoutingPolicy\"", "\"RoutePolicy\"")))
                .stream().anyMatch(v -> v.contains("no member RoutePolicy")));
        assertTrue(model.violations("GetServiceResponse", json.readTree(text.replace("\"TTL\":10", "\"TTL\":\"10\"")))
                .stream().anyMatch(v -> v.contains("an integer")));
        assertTrue(model.violations("GetServiceResponse", json.readTree(text.replace(",\"TTL\":10", "")))
                .stream().anyMatch(v -> v.contains("required member TTL")));
        assertTrue(model.violations("GetServiceResponse", json.readTree(text.replace("\"Type\":\"SRV\"", "\"Type\":\"MX\"")))
                .stream().anyMatch(v -> v.contains("MX is not one of")));
    }

    private ObjectNode validRequest(String operation) {
        reset();
        world = prepareWorld();
        ObjectNode request = (ObjectNode) model.example(model.inputShape(operation), operation, member -> fixture(operation, member));
        switch (operation) {
            case "CreateService" -> {
                request.put("NamespaceId", NAMESPACE_ID);
                request.set("DnsConfig", json.createObjectNode().set("DnsRecords",
                        json.createArrayNode().add(json.createObjectNode().put("Type", "A").put("TTL", 60))));
                request.set("HealthCheckCustomConfig", json.createObjectNode());
            }
            case "RegisterInstance" -> request.set("Attributes",
                    json.createObjectNode().put("AWS_INSTANCE_IPV4", "10.0.0.9").put("AWS_INSTANCE_PORT", "8080"));
            default -> { }
        }
        return request;
    }

    /** What an operation needs to exist before it is called: an instance, a spare namespace and service to delete. */
    private Map<String, String> prepareWorld() {
        JsonNode registered = call("RegisterInstance", json.createObjectNode().put("ServiceId", CloudMapApiTest.SERVICE_ID)
                .put("InstanceId", "task-1").set("Attributes", json.createObjectNode()
                        .put("AWS_INSTANCE_IPV4", "10.0.0.1").put("AWS_INSTANCE_PORT", "8080")));
        call("CreatePrivateDnsNamespace", json.createObjectNode().put("Name", "spare.internal").put("Vpc", "vpc-0a1b2c3d"));
        String spareNamespace = registry.namespaces().stream().filter(n -> n.name().equals("spare.internal")).findFirst()
                .orElseThrow().id();
        JsonNode spareService = call("CreateService", (ObjectNode) json.createObjectNode().put("Name", "spare")
                .put("NamespaceId", NAMESPACE_ID).set("DnsConfig", json.createObjectNode().set("DnsRecords",
                        json.createArrayNode().add(json.createObjectNode().put("Type", "A").put("TTL", 60)))));
        return Map.of("OperationId", registered.path("OperationId").asText(),
                "SpareNamespace", spareNamespace, "SpareService", spareService.path("Service").path("Id").asText(),
                "ResourceARN", registry.serviceById(CloudMapApiTest.SERVICE_ID).definition().arn());
    }

    private String fixture(String operation, String member) {
        return switch (member) {
            case "ServiceId" -> CloudMapApiTest.SERVICE_ID;
            case "InstanceId" -> "task-1";
            case "NamespaceName" -> "shop.internal";
            case "ServiceName" -> "service-b";
            case "NamespaceId" -> NAMESPACE_ID;
            case "Vpc" -> "vpc-0a1b2c3d";
            case "OperationId", "ResourceARN" -> world.get(member);
            case "Name" -> operation.equals("CreatePrivateDnsNamespace") ? "new.internal"
                    : operation.equals("CreateService") ? "new-service" : null;
            case "Id" -> switch (operation) {
                case "GetNamespace" -> NAMESPACE_ID;
                case "DeleteNamespace" -> world.get("SpareNamespace");
                case "DeleteService" -> world.get("SpareService");
                default -> CloudMapApiTest.SERVICE_ID;
            };
            default -> member.endsWith("Key") ? "AVAILABILITY_ZONE" : member.endsWith("Value") ? "us-east-1a" : null;
        };
    }

    private void expectSuccess(String operation, ObjectNode request, List<String> failures) {
        JsonNode answer = call(operation, request);
        if (answer.has("__type")) {
            failures.add(operation + ": a valid request was refused: " + answer);
            return;
        }
        String output = model.outputShape(operation).orElse(null);
        if (output == null) {
            if (!answer.isEmpty()) {
                failures.add(operation + ": the model defines no output, got " + answer);
            }
        } else {
            failures.addAll(prefixed(operation + " response", model.violations(output, answer)));
        }
    }

    private void expectModelError(String operation, ObjectNode request, String variant, List<String> failures) {
        expectModelError(operation, call(operation, request), variant, failures);
    }

    /** An error must be one the model lists for the operation, with that error shape's members. */
    private void expectModelError(String operation, JsonNode answer, String variant, List<String> failures) {
        String type = answer.path("__type").asText();
        if (!model.errors(operation).contains(type)) {
            failures.add(operation + " " + variant + ": " + (type.isEmpty() ? "succeeded" : type)
                    + ", the model lists " + model.errors(operation) + ": " + answer);
            return;
        }
        ObjectNode members = answer.deepCopy();
        members.remove("__type");
        failures.addAll(prefixed(operation + " " + variant + " error", model.violations(type, members)));
    }

    private JsonNode call(String operation, ObjectNode request) {
        Response response = given().header("X-Amz-Target", TARGET + operation)
                .contentType(CloudMapApi.CONTENT_TYPE)
                .body(request.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("/");
        try {
            JsonNode body = json.readTree(response.asString());
            boolean error = body.has("__type");
            if (error != (response.statusCode() != 200) || (error && response.statusCode() != 400)) {
                throw new AssertionError(operation + ": HTTP " + response.statusCode() + " with " + body);
            }
            return body;
        } catch (java.io.IOException e) {
            throw new AssertionError(operation + ": the answer is not JSON: " + response.asString(), e);
        }
    }

    private static List<String> prefixed(String prefix, List<String> violations) {
        return violations.stream().map(v -> prefix + ": " + v).toList();
    }

    /** The operation names in backticks in the README paragraph that starts with the given label. */
    private static Set<String> backticked(String readme, String label) {
        int start = readme.indexOf("\n" + label);
        assertTrue(start >= 0, "README.md has no paragraph starting with " + label);
        int end = readme.indexOf("\n\n", start + 1);
        String line = readme.substring(start, end < 0 ? readme.length() : end);
        Set<String> names = new TreeSet<>();
        Matcher matcher = Pattern.compile("`([A-Za-z]+)`").matcher(line);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        assertFalse(names.isEmpty(), label);
        return names;
    }
}
