package org.acme.fargate.pricing;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With a warm-up (WARM_UP_DURATION): service-b reports ready only once it has sent itself the quotes and catalog
 * requests its application.properties names, with its callers' key, and every one was answered (a request that no
 * longer matches the API, or a key the service refuses, fails this).
 */
@QuarkusTest
@TestProfile(WarmUpTest.FiveSeconds.class)
class WarmUpTest {

    public static class FiveSeconds implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("warm-up.duration", "5S");
        }
    }

    @Test
    void serviceBIsReadyOnlyAfterItsWarmUpAndEveryWarmUpRequestWasAnswered() throws Exception {
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
    }

    private static String warmUpCheck(JsonPath health, String field) {
        return health.getString("checks.find { it.name == 'warm-up' }." + field);
    }
}
