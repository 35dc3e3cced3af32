package org.acme.fargate.storefront;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(ServiceBDownTest.EveryInstanceDead.class)
class ServiceBDownTest {

    public static class EveryInstanceDead implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.stork.service-b.service-discovery.address-list",
                    ServiceBStandIn.deadAddress() + "," + ServiceBStandIn.deadAddress());
        }
    }

    @Test
    void answersA503ProblemWithRetryAfterWhenNoInstanceCanAnswer() {
        given().get("/api/products").then().statusCode(503).contentType("application/problem+json")
                .header("Retry-After", "5")
                .body("status", equalTo(503)).body("detail", containsString("service-b"));
    }

    @Test
    void staysReadyWhileServiceBIsDownSoTheLoadBalancerKeepsTheTask() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void theCircuitBreakerOpensUnderSustainedFailureAndStillAnswers503() {
        for (int i = 0; i < 30; i++) {
            TracedRequests.traced().then().statusCode(503).contentType("application/problem+json");
        }
    }
}
