package org.acme.fargate.discovery;

import static org.acme.fargate.storefront.TracedRequests.traced;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** SERVICE_B_DISCOVERY=cloud-map: the DiscoverInstances API through the AWS SDK, against cloudmap-local. */
@QuarkusTest
@TestProfile(CloudMapModeTest.Mode.class)
@QuarkusTestResource(value = CloudMapLocal.class, restrictToAnnotatedClass = true)
class CloudMapModeTest extends DiscoveryContract {

    public static class Mode implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("service-b.discovery", "cloud-map",
                    "quarkus.stork.service-b.service-discovery.refresh-period", "1S");
        }
    }

    @Override
    String mode() {
        return "cloud-map";
    }

    /** Some 300 requests over several refresh periods: tens of requests per period, one API call at most. */
    @Test
    void manyRequestsMakeNoMoreApiCallsThanRefreshPeriodsElapsed() throws Exception {
        long callsBefore = CloudMapLocal.apiCalls();
        long start = System.nanoTime();
        for (int i = 0; i < 300; i++) {
            traced().then().statusCode(200);
        }
        long periods = (System.nanoTime() - start) / REFRESH.toNanos() + 1;
        long calls = CloudMapLocal.apiCalls() - callsBefore;
        assertTrue(calls <= periods, calls + " API calls in " + periods + " refresh periods");
    }

    @Test
    void withEveryTaskDeregisteredTheAnswerIsA503ProblemNotAnError() throws Exception {
        CloudMapLocal.deregisterAll();
        // One request after a refresh has surely passed: a few requests only, so the breaker stays closed.
        Thread.sleep(REFRESH.multipliedBy(2).toMillis());
        traced().then().statusCode(503).contentType("application/problem+json")
                .header("Retry-After", "5").body("detail", containsString("try again"));

        CloudMapLocal.register("task-1", ONE.address(), "local-a");
        CloudMapLocal.register("task-2", TWO.address(), "local-a");
        awaitRecovery(Set.of(ONE.address(), TWO.address()), Duration.ofSeconds(15));
    }

    @Test
    void prefersItsOwnZoneAndFallsBackToOthersWhenItHasNone() {
        CloudMapLocal.deregister("task-2");
        CloudMapLocal.register("task-2", TWO.address(), "local-b");
        // service-a runs in local-a (path-trace.local-availability-zone).
        awaitChosen(Set.of(ONE.address()));
        assertEquals(Set.of(ONE.address()), pickCounts(20).keySet());
        CloudMapLocal.markUnhealthy("task-1");
        awaitChosen(Set.of(TWO.address()));
    }
}
