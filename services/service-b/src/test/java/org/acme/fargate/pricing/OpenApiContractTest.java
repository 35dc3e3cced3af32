package org.acme.fargate.pricing;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * service-b's contract is the OpenAPI document Quarkus generates from its resources. The committed copy,
 * openapi/openapi.json, is what service-a is checked against, so it must be the current one: a renamed field
 * fails here, in service-b's build, and then in service-a's contract test, never first in a deployment.
 */
@QuarkusTest
class OpenApiContractTest {

    static final Path COMMITTED = Path.of("openapi/openapi.json");

    @Test
    void theCommittedContractIsTheOneTheResourcesDescribe() throws Exception {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        JsonNode generated = json.readTree(given().accept("application/json").get("/q/openapi").then()
                .statusCode(200).extract().asString());
        Path current = Path.of("target/openapi.json");
        Files.writeString(current, json.writeValueAsString(generated) + "\n");
        JsonNode committed = Files.exists(COMMITTED) ? json.readTree(COMMITTED.toFile()) : null;
        assertEquals(committed, generated, "service-b's API changed: review the change, then "
                + "cp services/service-b/" + current + " services/service-b/" + COMMITTED + " and commit it (service-a is checked against it)");
    }
}
