package org.acme.fargate.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ./run-local.sh deploy service-b} and {@code deploy web} under continuous load (four clients looking at a
 * product and asking for quotes), in each discovery mode: ECS's rolling deployment with the template's settings
 * replaces every task with one of the new revision, and no request fails; a revision whose tasks never come into
 * service is rolled back, and no request fails either.
 */
class DeploymentIT {

    @AfterAll
    static void stopTheTopology() throws Exception {
        LocalTopology.runLocal("stop");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dns", "cloud-map", "service-connect"})
    void aRollingDeploymentOfServiceBLosesNoRequest(String discovery) throws Exception {
        LocalTopology.runLocal("stop");
        LocalTopology.runLocal("--discovery", discovery, "--b", "3", "--detach");
        Set<String> before = serviceBTasks();
        assertEquals(3, before.size(), before.toString());
        Deployment deployment = deployUnderLoad("service-b");
        BoundedLoad load = deployment.load();
        assertTrue(load.requests() > 100, load.toString());
        assertEquals(List.of(), load.failures(), discovery + ": " + deployment);
        Set<String> after = serviceBTasks();
        assertEquals(3, after.size(), deployment.printed());
        assertTrue(after.stream().noneMatch(before::contains), "every task replaced: " + before + " -> " + after);
        assertTrue(after.containsAll(load.lastServedBy()), "only new tasks serve at the end: " + load);
        Set<String> served = new HashSet<>(load.servedBy().keySet());
        assertTrue(served.stream().anyMatch(before::contains) && served.stream().anyMatch(after::contains),
                "old and new tasks both served during the deployment: " + load);
        assertTrue(deployment.printed().contains("service-b: deployed fnr-service-b:2, 3 running"), deployment.printed());
    }

    @Test
    void aRollingDeploymentOfTheWebTasksBehindTheLoadBalancerLosesNoRequest() throws Exception {
        LocalTopology.runLocal("stop");
        LocalTopology.runLocal("--web", "2", "--detach");
        Deployment deployment = deployUnderLoad("web");
        BoundedLoad load = deployment.load();
        assertEquals(List.of(), load.failures(), deployment.toString());
        Set<String> revisions = new HashSet<>();
        load.servedByWebTask().keySet().forEach(task -> revisions.add(task.substring(task.indexOf(' ') + 1)));
        assertEquals(Set.of("fnr-web:1", "fnr-web:2"), revisions, "the old and the new fleet both served: " + load);
        assertTrue(load.lastServedByWebTask().stream().allMatch(task -> task.endsWith(" fnr-web:2")), "only the new fleet at the end: " + load);
        assertTrue(deployment.printed().contains("web: deployed fnr-web:2, 2 running (web-3 web-4)"), deployment.printed());
    }

    @Test
    void aRevisionWhoseTasksNeverBecomeHealthyIsRolledBack() throws Exception {
        LocalTopology.runLocal("stop");
        LocalTopology.runLocal("--b", "2", "--detach");
        Set<String> before = serviceBTasks();
        LocalTopology.Result deployment;
        try (BoundedLoad load = BoundedLoad.buying(LocalTopology.PAGE, 4, Duration.ofSeconds(180))) {
            // A new revision that listens on another port than its task definition maps: never healthy.
            deployment = LocalTopology.exec(List.of("./run-local.sh", "deploy", "service-b", "--env", "service-b:QUARKUS_HTTP_PORT=9999"), 180);
            load.close();
            assertEquals(List.of(), load.failures(), load + "\n" + deployment.output());
        }
        assertEquals(1, deployment.exitCode(), deployment.output());
        assertTrue(deployment.output().contains("deploy: rolled back to fnr-service-b:1"), deployment.output());
        assertEquals(before, serviceBTasks(), "the previous tasks keep serving, alone");
        assertEquals("fnr-service-b:1", TracedPath.of(LocalTopology.PAGE).getString("[2].taskDefinition"));
    }

    /** What a deployment under load left: the load (stopped) and what the command printed. */
    private record Deployment(BoundedLoad load, String printed) {
        @Override
        public String toString() {
            return load + "\n" + printed;
        }
    }

    /** {@code ./run-local.sh deploy SERVICE} while four clients buy, from 3 s before it until 3 s after. */
    private static Deployment deployUnderLoad(String service) throws Exception {
        try (BoundedLoad load = BoundedLoad.buying(LocalTopology.PAGE, 4, Duration.ofSeconds(300))) {
            Thread.sleep(3_000);
            String printed = LocalTopology.runLocal("deploy", service);
            Thread.sleep(3_000);
            load.close();
            return new Deployment(load, printed);
        }
    }

    private static Set<String> serviceBTasks() throws Exception {
        JsonPath status = new JsonPath(LocalTopology.run(List.of("./run-local.sh", "status", "--json")));
        Set<String> tasks = new HashSet<>();
        for (String name : status.<String>getList("processes.name")) {
            if (name.startsWith("service-b-")) {
                tasks.add(name);
            }
        }
        return tasks;
    }
}
