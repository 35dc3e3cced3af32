package org.acme.fargate.pricing;

import static io.restassured.RestAssured.given;
import static org.acme.fargate.pricing.Callers.aCaller;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import org.acme.fargate.apikey.ApiKeyFilter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Only callers that send service-b's key are answered (the api-key library); ECS and the tests still see its health. */
@QuarkusTest
class ApiKeyTest {

    @Test
    void aCallerWithTheKeyIsAnswered() {
        aCaller().get("/products/TEA-001").then().statusCode(200).body("sku", equalTo("TEA-001"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/products", "/products/TEA-001", "/quotes", "/no-such-path"})
    void aRequestWithoutTheKeyIsA401ProblemWhicheverThePath(String path) {
        given().get(path).then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", "ApiKey header=\"X-Api-Key\"")
                .body("status", equalTo(401)).body("instance", equalTo(path))
                .body("detail", equalTo("Send this service's API key in the X-Api-Key header."));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "wrong", "test-api-ke", "test-api-keyy", "TEST-API-KEY"})
    void aWrongKeyIsA401Problem(String key) {
        given().header(ApiKeyFilter.HEADER, key).contentType("application/json")
                .body("{\"items\":[{\"sku\":\"TEA-001\",\"quantity\":1}]}").post("/quotes")
                .then().statusCode(401).contentType("application/problem+json")
                .body("detail", containsString("not this service's API key"));
    }

    @Test
    void healthAndTheContractNeedNoKey() {
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/health/live").then().statusCode(200);
        given().accept("application/json").get("/q/openapi").then().statusCode(200);
    }
}
