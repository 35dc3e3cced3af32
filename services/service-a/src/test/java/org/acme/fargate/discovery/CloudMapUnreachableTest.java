package org.acme.fargate.discovery;

import static org.acme.fargate.storefront.TracedRequests.traced;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * cloud-map mode in a task that cannot reach the Cloud Map API from its first request on (private subnets with
 * neither a NAT gateway nor the endpoints): no instance is known, and the answer says so, as a 503 to retry, never
 * as a 500. The broken variant was an IllegalStateException from the first fetch, which became a 500.
 */
@QuarkusTest
@TestProfile(CloudMapUnreachableTest.Unreachable.class)
class CloudMapUnreachableTest {

    public static class Unreachable implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Port 1 of the loopback: nothing listens, every call is refused at once.
            return Map.of("service-b.discovery", "cloud-map",
                    "quarkus.stork.service-b.service-discovery.endpoint", "http://127.0.0.1:1");
        }
    }

    @Test
    void withTheApiOutOfReachFromTheStartTheAnswerIsA503ProblemNotAnError() {
        for (int i = 0; i < 3; i++) {
            traced().then().statusCode(503).contentType("application/problem+json")
                    .header("Retry-After", "5").body("detail", containsString("try again"));
        }
    }
}
