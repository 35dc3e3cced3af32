package org.acme.fargate.system;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.RestAssured;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The service-b fleet as ECS runs it, driven with {@code ./run-local.sh scale N} (the desired count):
 * load balancing, scaling out and in, tasks dying, and Cloud Map going away, all under load through the
 * sidecar. Every test starts from the fleet it needs, so any of them can run alone.
 */
@ExtendWith(LocalTopology.SharedLoopback.class)
@Order(LocalTopology.SHARED + 2) // last on the shared topology (in the layout PageIT leaves): it scales and kills tasks
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetIT {

    /** service-a's discovery refresh period. */
    private static final Duration REFRESH = ServiceSettings.duration("service-a", "quarkus.stork.service-b.service-discovery.refresh-period");

    /** service-a's warm-up of a newly listed instance. */
    private static final Duration SLOW_START = ServiceSettings.duration("service-a", "quarkus.stork.service-b.load-balancer.slow-start");

    @BeforeAll
    static void throughTheSidecar() {
        RestAssured.baseURI = LocalTopology.PAGE;
    }

    /** Last: by then the three tasks have served long, most of their warm-up (awaitWarm waits for the rest) is over. */
    @Test
    @Order(4)
    void twoHundredRequestsSpreadOverEveryInstance() throws Exception {
        fleetOf(3);
        awaitWarm(3);
        Map<String, Integer> served = new HashMap<>();
        for (int i = 0; i < 200; i++) {
            served.merge(servedBy(), 1, Integer::sum);
        }
        assertEquals(Set.of("service-b-1", "service-b-2", "service-b-3"), served.keySet());
        served.values().forEach(count -> assertTrue(count >= 40, "each instance took at least 20%: " + served));
    }

    @Test
    @Order(1)
    void aThirdInstanceIsUsedWithinOneRefreshAndRemovingItFailsNoRequest() throws Exception {
        fleetOf(2);
        LocalTopology.runLocal("scale", "3");
        long registered = System.nanoTime();
        long seenAfterNanos = -1;
        while (System.nanoTime() - registered < REFRESH.plusSeconds(5).toNanos()) {
            if (servedBy().equals("service-b-3")) {
                seenAfterNanos = System.nanoTime() - registered;
                break;
            }
        }
        assertTrue(seenAfterNanos >= 0, "service-b-3 never served a request");
        // The next refresh comes at most one period after the registration, and round-robin picks the new
        // instance within 21 requests of it, even at the tenth of a share it starts its warm-up with; one
        // second covers those requests.
        assertTrue(seenAfterNanos <= REFRESH.plusSeconds(1).toNanos(),
                "service-b-3 first served " + seenAfterNanos / 1_000_000 + " ms after its registration");

        try (BoundedLoad load = BoundedLoad.start(LocalTopology.PAGE, 2, Duration.ofSeconds(30))) {
            Thread.sleep(1_000);
            LocalTopology.runLocal("scale", "2");
            Thread.sleep(REFRESH.plusSeconds(2).toMillis());
            load.resetCounts();
            Thread.sleep(2_000);
            load.close();
            assertEquals(0, load.failures().size(), load.toString());
            assertFalse(load.servedBy().containsKey("service-b-3"), "no longer chosen: " + load);
        }
    }

    @Test
    @Order(2)
    void killingOneInstanceAndStoppingAnotherFailsNoRequest() throws Exception {
        fleetOf(3);
        try (BoundedLoad load = BoundedLoad.start(LocalTopology.PAGE, 3, Duration.ofSeconds(60))) {
            Thread.sleep(4_000);
            LocalTopology.process("service-b-1").destroyForcibly(); // SIGKILL: a task that crashes
            Thread.sleep(6_000);
            LocalTopology.process("service-b-2").destroy(); // SIGTERM: a task ECS stops (no deregistration first)
            Thread.sleep(8_000);
            load.close();
            assertTrue(load.requests() > 100, load.toString());
            assertEquals(0, load.failures().size(), load.toString());
            assertEquals(Set.of("service-b-3"), Set.copyOf(load.lastServedBy()), "only the survivor serves: " + load);
        }
        // ECS replaces stopped tasks to keep the desired count; so does scale.
        String replaced = LocalTopology.runLocal("scale", "3");
        assertTrue(replaced.contains("service-b-1: stopped unexpectedly; replacing it"), replaced);
    }

    @Test
    @Order(3)
    void cloudMapDownForFourRefreshPeriodsFailsNoRequest() throws Exception {
        fleetOf(3);
        // Four refreshes in a row fail (its DNS answers nothing): service-a keeps serving from its last list.
        Duration outage = REFRESH.multipliedBy(4);
        try (BoundedLoad load = BoundedLoad.start(LocalTopology.PAGE, 2, outage.plusSeconds(30))) {
            Thread.sleep(2_000);
            LocalTopology.process("cloudmap-local").destroy();
            Thread.sleep(outage.toMillis());
            load.close();
            assertEquals(0, load.failures().size(), load.toString());
            assertEquals(Set.of("service-b-1", "service-b-2", "service-b-3"), load.servedBy().keySet(),
                    "the last known list is used in full: " + load);
        }
        String restarted = LocalTopology.runLocal("scale", "3");
        assertTrue(restarted.contains("registering the running tasks again"), restarted);
        assertEquals("UP", given().get("/q/health/ready").then().statusCode(200).extract().path("status"));
    }

    /**
     * Converges on n service-b tasks and waits until service-a's discovery lists exactly those (one refresh
     * period) and it uses them all. Waiting for the picks alone is not enough: a stopped task that was
     * ejected is no longer picked while discovery still lists it, and if it came back at the same address
     * within the ejection time (10 s) it would stay left out until then.
     */
    private static void fleetOf(int n) throws Exception {
        LocalTopology.runLocal("scale", String.valueOf(n));
        Thread.sleep(REFRESH.toMillis());
        long deadline = System.nanoTime() + REFRESH.multipliedBy(3).toNanos();
        Set<String> expected = new TreeSet<>();
        for (int i = 1; i <= n; i++) {
            expected.add("service-b-" + i);
        }
        Deque<String> recent = new ArrayDeque<>();
        while (System.nanoTime() < deadline) {
            recent.addLast(servedBy());
            if (recent.size() > 3 * n) {
                recent.removeFirst();
            }
            if (recent.size() == 3 * n && Set.copyOf(recent).equals(expected)) {
                return;
            }
        }
        throw new AssertionError("service-a did not settle on " + expected + "; last picks " + recent);
    }

    /**
     * Waits until a task just added has its full share (slow start gives it a growing one for up to
     * {@link #SLOW_START}): a window of requests that round-robin spreads evenly over n warm tasks, each taking at
     * least four fifths of an even share. Tasks that have served for longer than the warm-up pass at once.
     */
    private static void awaitWarm(int n) {
        long deadline = System.nanoTime() + SLOW_START.plusSeconds(5).toNanos();
        Map<String, Integer> window = new HashMap<>();
        while (System.nanoTime() < deadline) {
            window.clear();
            for (int i = 0; i < 10 * n; i++) {
                window.merge(servedBy(), 1, Integer::sum);
            }
            if (window.size() == n && window.values().stream().allMatch(count -> count >= 8)) {
                return;
            }
        }
        throw new AssertionError("the tasks did not warm up within " + SLOW_START + ": " + window);
    }

    private static String servedBy() {
        return TracedPath.of(LocalTopology.PAGE).getString("[2].taskId");
    }
}
