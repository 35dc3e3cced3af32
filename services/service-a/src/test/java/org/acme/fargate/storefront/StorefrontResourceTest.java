package org.acme.fargate.storefront;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = ServiceBInstances.class, restrictToAnnotatedClass = true)
class StorefrontResourceTest {

    private static final String BASKET = "{\"items\":[{\"sku\":\"TEA-001\",\"quantity\":2}]}";

    @Test
    void retriesLandOnTheHealthyInstanceWhenOthersAreDeadOrFailing() {
        int before = ServiceBInstances.healthy.requests.get();
        for (int i = 0; i < 12; i++) {
            Response traced = TracedRequests.traced();
            assertEquals(200, traced.statusCode());
            assertEquals(ServiceBInstances.healthy.address(), TracedRequests.picked(traced));
        }
        assertEquals(12, ServiceBInstances.healthy.requests.get() - before,
                "each request reached the healthy instance exactly once");
    }

    @Test
    void aQuoteIsTheDomainAnswerAndItsPathTravelsBesideIt() {
        Response quoted = given().header("X-Request-Id", "req-7").contentType(ContentType.JSON).body(BASKET)
                .post("/api/quotes");
        quoted.then().statusCode(200).header("X-Request-Id", "req-7")
                .body("totalCents", equalTo(200))
                .body("$", not(hasKey("path"))).body("$", not(hasKey("servedBy")));
        JsonPath path = TracedRequests.path(quoted);
        assertEquals(java.util.List.of("service-a", "service-b"), path.getList("container"));
        assertEquals("web-local", path.getString("[0].taskId"));
        assertEquals("static", path.getString("[0].discovery"));
        assertNotNull(path.get("[0].elapsedMs"));
        // service-b's hop is the one its answer carried; the request id went on to it.
        assertEquals("b-" + ServiceBInstances.healthy.address().split(":")[1], path.getString("[1].taskId"));
        assertEquals("req-7", ServiceBInstances.healthy.lastRequestId());
    }

    @Test
    void productsComeFromServiceB() {
        given().get("/api/products").then().statusCode(200).body("sku", equalTo(java.util.List.of("TEA-001", "COF-001")));
        int before = ServiceBInstances.healthy.requests.get();
        given().get("/api/products").then().statusCode(200);
        assertEquals(before, ServiceBInstances.healthy.requests.get(), "the catalog is cached");
    }

    @Test
    void aNotFoundFromServiceBIsRelayedAsA404ProblemWithoutRetrying() {
        int before = ServiceBInstances.healthy.requests.get();
        given().get("/api/products/NOPE-9").then().statusCode(404).contentType("application/problem+json")
                .body("detail", containsString("NOPE-9")).body("instance", equalTo("/api/products/NOPE-9"));
        assertEquals(1, ServiceBInstances.healthy.requests.get() - before, "a 4xx is final: no retry");
    }

    @Test
    void malformedJsonIsRejectedByServiceAWithoutCallingServiceB() {
        int before = ServiceBInstances.healthy.requests.get();
        given().contentType(ContentType.JSON).body("{\"items\":[").post("/api/quotes").then().statusCode(400)
                .contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("").post("/api/quotes").then().statusCode(400)
                .contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("{\"itemz\":[]}").post("/api/quotes").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("itemz"));
        assertEquals(0, ServiceBInstances.healthy.requests.get() - before);
    }

    @Test
    void wrongContentTypeAndOversizeBodiesAre4xxProblems() {
        given().contentType(ContentType.TEXT).body("x").post("/api/quotes").then().statusCode(415)
                .contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("{\"items\":\"" + "x".repeat(70_000) + "\"}")
                .post("/api/quotes").then().statusCode(413).contentType("application/problem+json");
    }
}
