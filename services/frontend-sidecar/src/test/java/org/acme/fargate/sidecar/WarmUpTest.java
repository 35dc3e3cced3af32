package org.acme.fargate.sidecar;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * With a warm-up (WARM_UP_DURATION): the sidecar reports ready only once it has sent itself the requests its
 * application.properties names, the catalog through its proxy to service-a, and none of them failed.
 */
@QuarkusTest
@TestProfile(WarmUpTest.FiveSeconds.class)
@QuarkusTestResource(EchoBackendResource.class)
class WarmUpTest {

    public static class FiveSeconds implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("warm-up.duration", "5S");
        }
    }

    @Test
    void theSidecarIsReadyOnlyAfterItsWarmUpThroughTheProxyAndNoneOfItFailed() throws Exception {
        assertEquals("DOWN", warmUpCheck(given().get("/q/health/ready").then().statusCode(503).extract().jsonPath(), "status"));

        long deadline = System.nanoTime() + 30_000_000_000L;
        JsonPath ready = given().get("/q/health/ready").jsonPath();
        while (!"UP".equals(ready.getString("status")) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            ready = given().get("/q/health/ready").jsonPath();
        }
        assertEquals("UP", ready.getString("status"), ready.prettify());
        assertEquals("0", warmUpCheck(ready, "data.failed"), "every warm-up request answered: " + ready.prettify());
        assertTrue(Integer.parseInt(warmUpCheck(ready, "data.requests")) > 10, ready.prettify());
        assertTrue(EchoBackend.served.getOrDefault("/api/products", new AtomicInteger()).get() > 5,
                "the catalog went through the proxy to service-a: " + EchoBackend.served);
    }

    private static String warmUpCheck(JsonPath health, String field) {
        return health.getString("checks.find { it.name == 'warm-up' }." + field);
    }
}
