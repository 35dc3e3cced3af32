package org.acme.fargate.storefront;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * service-a with a key service-b does not hold (a secret changed on one side only): service-b's 401 is service-a's
 * problem, so the page gets the 503 of a service-b that cannot answer, never a 401. Every other test's stand-in
 * answers only the test profile's key, so they prove the key is sent.
 */
@QuarkusTest
@QuarkusTestResource(value = ServiceBKeyTest.StaleKey.class, restrictToAnnotatedClass = true)
class ServiceBKeyTest {

    public static class StaleKey implements QuarkusTestResourceLifecycleManager {
        static ServiceBStandIn serviceB;

        @Override
        public Map<String, String> start() {
            serviceB = ServiceBStandIn.healthy();
            return Map.of("quarkus.stork.service-b.service-discovery.address-list", serviceB.address(),
                    "service-b.api-key", "a-key-service-b-does-not-hold");
        }

        @Override
        public void stop() {
            serviceB.close();
        }
    }

    @Test
    void aKeyServiceBRefusesIsA503ForThePageNotA401() {
        given().get("/api/products").then().statusCode(503).contentType("application/problem+json")
                .body("detail", containsString("service-b"));
        assertTrue(StaleKey.serviceB.requests.get() > 0, "service-a called service-b, which refused it");
    }
}
