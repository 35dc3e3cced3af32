package org.acme.fargate.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.response.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.acme.fargate.storefront.ServiceBStandIn;
import org.acme.fargate.storefront.TracedRequests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every discovery mode must do, proven with real HTTP servers registered in cloudmap-local the way
 * ECS registers tasks. The refresh period is 1 s in these tests; every wait is bounded.
 */
abstract class DiscoveryContract {

    static final Duration REFRESH = Duration.ofSeconds(1);
    static final ServiceBStandIn ONE = ServiceBStandIn.healthy();
    static final ServiceBStandIn TWO = ServiceBStandIn.healthy();
    static final ServiceBStandIn THREE = ServiceBStandIn.healthy();

    /** The SERVICE_B_DISCOVERY value under test, as service-a reports it in the path. */
    abstract String mode();

    /** How long a change may take to reach service-a: one refresh in every mode here (1 s, under the TTL). */
    Duration propagation() {
        return REFRESH;
    }

    @BeforeEach
    void twoInstancesInOneZone() {
        CloudMapLocal.startIfStopped();
        CloudMapLocal.deregisterAll();
        CloudMapLocal.register("task-1", ONE.address(), "local-a");
        CloudMapLocal.register("task-2", TWO.address(), "local-a");
        awaitChosen(Set.of(ONE.address(), TWO.address()));
    }

    @AfterAll
    static void stopStandIns() {
        CloudMapLocal.deregisterAll();
    }

    @Test
    void thePathNamesTheMode() {
        assertEquals(mode(), TracedRequests.path(TracedRequests.traced()).getString("[0].discovery"));
    }

    @Test
    void requestsSpreadOverBothInstances() {
        Map<String, Integer> picks = pickCounts(40);
        assertEquals(Set.of(ONE.address(), TWO.address()), picks.keySet());
        picks.values().forEach(count -> assertTrue(count >= 10, "each took at least a quarter: " + picks));
    }

    @Test
    void aThirdInstanceIsUsedOnceDiscovered() {
        CloudMapLocal.register("task-3", THREE.address(), "local-a");
        awaitChosen(Set.of(ONE.address(), TWO.address(), THREE.address()));
    }

    @Test
    void aDeregisteredInstanceIsNoLongerChosenAndNoRequestFails() {
        CloudMapLocal.deregister("task-2");
        awaitChosen(Set.of(ONE.address()));
        assertFalse(pickCounts(20).containsKey(TWO.address()));
    }

    @Test
    void anUnhealthyInstanceIsNoLongerChosen() {
        CloudMapLocal.markUnhealthy("task-1");
        awaitChosen(Set.of(TWO.address()));
        assertFalse(pickCounts(20).containsKey(ONE.address()));
    }

    @Test
    void keepsServingFromTheLastKnownListWhileCloudMapIsDown() throws Exception {
        CloudMapLocal.stopProcess();
        long until = System.nanoTime() + REFRESH.multipliedBy(6).toNanos();
        int requests = 0;
        while (System.nanoTime() < until && requests < 400) {
            TracedRequests.traced().then().statusCode(200);
            requests++;
            Thread.sleep(10);
        }
        // Every request succeeded over six refresh periods. (In dns mode the request that triggers a
        // refresh waits out the DNS timeout, 1 s, so fewer requests fit in the window.)
        assertTrue(requests >= 6, "requests made during the outage: " + requests);

        // Cloud Map comes back (empty, as a restarted cloudmap-local is): discovery recovers by itself once
        // its backoff ends, and the next test does not inherit a provider that is still backing off. The
        // fleet differs from the last known list (THREE instead of TWO), so only a working discovery passes.
        CloudMapLocal.startProcess();
        CloudMapLocal.register("task-1", ONE.address(), "local-a");
        CloudMapLocal.register("task-3", THREE.address(), "local-a");
        awaitRecovery(Set.of(ONE.address(), THREE.address()), Duration.ofSeconds(45));
    }

    /** Like awaitChosen (the last 12 picks), but answers other than 200 are expected while discovery catches up. */
    void awaitRecovery(Set<String> expected, Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        List<String> recent = new ArrayList<>();
        while (System.nanoTime() < deadline && !(recent.size() == 12 && Set.copyOf(recent).equals(expected))) {
            Response response = TracedRequests.traced();
            if (response.statusCode() == 200) {
                recent.add(TracedRequests.picked(response));
                if (recent.size() > 12) {
                    recent.remove(0);
                }
            } else {
                recent.clear();
                Thread.sleep(100);
            }
        }
        assertEquals(expected, Set.copyOf(recent), "discovery recovered after the outage");
    }

    /** Sends requests (each must succeed) until the last 12 picks cover exactly the expected instances. */
    void awaitChosen(Set<String> expected) {
        long deadline = System.nanoTime() + propagation().plusSeconds(5).toNanos();
        List<String> recent = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            recent.add(pick());
            if (recent.size() > 12) {
                recent.remove(0);
            }
            if (recent.size() == 12 && Set.copyOf(recent).equals(expected)) {
                return;
            }
        }
        throw new AssertionError("expected picks " + expected + " but the last were " + recent);
    }

    Map<String, Integer> pickCounts(int requests) {
        Map<String, Integer> picks = new HashMap<>();
        for (int i = 0; i < requests; i++) {
            picks.merge(pick(), 1, Integer::sum);
        }
        return picks;
    }

    static String pick() {
        Response response = TracedRequests.traced();
        assertEquals(200, response.statusCode(), response.asString());
        return TracedRequests.picked(response);
    }
}
