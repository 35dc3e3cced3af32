package org.acme.fargate.storefront;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = ServiceBInstances.class, restrictToAnnotatedClass = true)
class StorefrontResourceTest {

    private static final String BASKET = "{\"items\":[{\"sku\":\"TEA-001\",\"quantity\":2}]}";

    @Test
    void retriesLandOnTheHealthyInstanceWhenOthersAreDeadOrFailing() {
        int before = ServiceBInstances.healthy.requests.get();
        for (int i = 0; i < 12; i++) {
            given().get("/api/path").then().statusCode(200)
                    .body("path[1].container", equalTo("service-b"))
                    .body("path[0].pickedInstance", equalTo(ServiceBInstances.healthy.address()));
        }
        assertEquals(12, ServiceBInstances.healthy.requests.get() - before,
                "each request reached the healthy instance exactly once");
    }

    @Test
    void pathListsSidecarServiceAAndServiceBWithTheDiscoveryMode() {
        given().header("X-Sidecar-Hop", "{\"container\":\"frontend-sidecar\",\"taskId\":\"t-1\","
                        + "\"availabilityZone\":\"zone-x\",\"privateIp\":\"10.0.3.47\",\"port\":8000}")
                .header("X-Request-Start", "t=" + java.time.temporal.ChronoUnit.MICROS.between(
                        java.time.Instant.EPOCH, java.time.Instant.now()))
                .get("/api/path").then().statusCode(200)
                .body("path.container", equalTo(java.util.List.of("frontend-sidecar", "service-a", "service-b")))
                .body("path[0].elapsedMs", notNullValue())
                .body("path[1].discovery", equalTo("static"))
                .body("path[1].taskId", equalTo("web-local"))
                .body("path[1].elapsedMs", notNullValue());
    }

    @Test
    void aQuoteCarriesItsPath() {
        given().contentType(ContentType.JSON).body(BASKET).post("/api/quotes").then().statusCode(200)
                .body("quote.totalCents", equalTo(200))
                .body("path.container", equalTo(java.util.List.of("service-a", "service-b")));
    }

    @Test
    void productsComeFromServiceB() {
        given().get("/api/products").then().statusCode(200).body("sku", equalTo(java.util.List.of("TEA-001", "COF-001")));
        int before = ServiceBInstances.healthy.requests.get();
        given().get("/api/products").then().statusCode(200);
        assertEquals(before, ServiceBInstances.healthy.requests.get(), "the catalog is cached");
    }

    @Test
    void serviceBsNotFoundIsRelayedAsA404ProblemWithoutRetrying() {
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
