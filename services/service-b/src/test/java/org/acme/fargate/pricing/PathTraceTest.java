package org.acme.fargate.pricing;

import static org.acme.fargate.pricing.Callers.aCaller;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

/**
 * The path-trace layer on service-b: every answer, good or bad, says in {@code X-Path} who served it, beside
 * the domain answer and never in it; the request id from service-a is kept, a forged one is replaced.
 */
@QuarkusTest
class PathTraceTest {

    @Test
    void everyAnswerCarriesThisInstancesHop() {
        for (Response response : new Response[] {
                aCaller().contentType("application/json").body("{\"items\":[{\"sku\":\"TEA-001\",\"quantity\":1}]}")
                        .post("/quotes"),
                aCaller().get("/products/NOPE-1")}) {
            JsonPath path = new JsonPath(response.header("X-Path"));
            assertThat(path.getList("$"), hasSize(1));
            assertThat(path.getString("[0].container"), equalTo("service-b"));
            assertThat(path.getString("[0].taskId"), equalTo("service-b-local"));
            assertThat(path.getString("[0].availabilityZone"), equalTo("local-a"));
            assertThat(path.get("[0].elapsedMs"), notNullValue());
            // service-b calls no one: no discovery, no picked instance.
            assertThat(path.get("[0].discovery"), nullValue());
            assertThat(path.get("[0].pickedInstance"), nullValue());
        }
    }

    @Test
    void keepsAPlainRequestIdAndReplacesAForgedOne() {
        aCaller().header("X-Request-Id", "req-42").get("/products").then().statusCode(200)
                .header("X-Request-Id", "req-42");
        aCaller().header("X-Request-Id", "x\" level=ERROR msg=\"forged").get("/products").then().statusCode(200)
                .header("X-Request-Id", not(equalTo("x\" level=ERROR msg=\"forged")))
                .header("X-Request-Id", matchesPattern("[0-9a-f-]{36}"));
    }
}
