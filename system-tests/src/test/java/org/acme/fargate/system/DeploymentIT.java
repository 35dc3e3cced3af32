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
 * product and asking for quotes): ECS's rolling deployment with the template's settings replaces every task with one
 * of the new revision, and no request fails; a revision whose tasks never come into service is rolled back, and no
 * request fails either. The default discovery mode (DNS) is docs/deployments.md's guide, run as written with the
 * load around it; the other discovery modes deploy service-b on their own topology.
 */
class DeploymentIT {

    @AfterAll
    static void stopTheTopology() throws Exception {
        LocalTopology.runLocal("stop");
    }

    /**
     * The guide's block as written: its first command starts the topology, the load starts once it is up and runs
     * through every deployment (service-b, web, the rollback), and its last command stops it.
     */
    @Test
    void theDeploymentsGuideLosesNoRequestAcrossEveryDeploymentAndTheRollback() throws Exception {
        GuideBlock guide = GuideBlock.of("docs/deployments.md", "deploy service-b");
        LocalTopology.runLocal("stop");
        guide.start();
        Set<String> before = serviceBTasks();
        assertEquals(3, before.size(), before.toString());

        String printed;
        BoundedLoad load;
        try (BoundedLoad running = BoundedLoad.buying(LocalTopology.PAGE, 4, Duration.ofSeconds(480))) {
            load = running;
            Thread.sleep(2_000); // the old fleet serves before the first deployment
            printed = guide.runMiddle(480);
            running.close();
        }
        Set<String> after = serviceBTasks();
        guide.stop();
        assertFalse(LocalTopology.isUp(), "the guide ends with stop");

        // What the reader sees, as the guide says.
        List<String> served = printed.lines().filter(line -> line.matches("service-b-\\d fnr-service-b:\\d")).toList();
        assertEquals(7, served.size(), printed);
        assertTrue(Set.of("service-b-1 fnr-service-b:1", "service-b-2 fnr-service-b:1", "service-b-3 fnr-service-b:1")
                .containsAll(served.subList(0, 3)), printed);
        assertTrue(Set.of("service-b-4 fnr-service-b:2", "service-b-5 fnr-service-b:2", "service-b-6 fnr-service-b:2")
                .containsAll(served.subList(3, 7)), "the new tasks, and after the rollback still them: " + printed);
        assertTrue(printed.contains("service-b: deployed fnr-service-b:2, 3 running (service-b-4 service-b-5 service-b-6)"), printed);
        assertTrue(printed.contains("web: deployed fnr-web:2, 2 running (web-3 web-4)"), printed);
        assertTrue(printed.lines().anyMatch(line -> line.matches("web-[34] fnr-web:2")), "the new web fleet serves: " + printed);
        assertTrue(printed.contains("deploy: rolled back to fnr-service-b:2") && printed.contains("the deployment failed and was rolled back"), printed);

        // What the load saw: no failure through three deployments, old and new tasks of each service serving.
        assertTrue(load.requests() > 100, load.toString());
        assertEquals(List.of(), load.failures(), load + "\n" + printed);
        assertEquals(Set.of("service-b-4", "service-b-5", "service-b-6"), after, "every task replaced once, the rollback kept them: " + printed);
        assertTrue(after.containsAll(load.lastServedBy()), "only new tasks serve at the end: " + load);
        assertTrue(load.servedBy().keySet().containsAll(before) && load.servedBy().keySet().containsAll(after),
                "old and new tasks both served: " + load);
        Set<String> revisions = new HashSet<>();
        load.servedByWebTask().keySet().forEach(task -> revisions.add(task.substring(task.indexOf(' ') + 1)));
        assertEquals(Set.of("fnr-web:1", "fnr-web:2"), revisions, "the old and the new web fleet both served: " + load);
        assertTrue(load.lastServedByWebTask().stream().allMatch(task -> task.endsWith(" fnr-web:2")), "only the new fleet at the end: " + load);
    }

    @ParameterizedTest
    @ValueSource(strings = {"cloud-map", "service-connect"})
    void aRollingDeploymentOfServiceBLosesNoRequest(String discovery) throws Exception {
        LocalTopology.runLocal("stop");
        LocalTopology.runLocal("--discovery", discovery, "--b", "3", "--detach");
        Set<String> before = serviceBTasks();
        assertEquals(3, before.size(), before.toString());
        String printed;
        BoundedLoad load;
        try (BoundedLoad running = BoundedLoad.buying(LocalTopology.PAGE, 4, Duration.ofSeconds(300))) {
            load = running;
            Thread.sleep(3_000);
            printed = LocalTopology.runLocal("deploy", "service-b");
            Thread.sleep(3_000);
            running.close();
        }
        assertTrue(load.requests() > 100, load.toString());
        assertEquals(List.of(), load.failures(), discovery + ": " + load + "\n" + printed);
        Set<String> after = serviceBTasks();
        assertEquals(3, after.size(), printed);
        assertTrue(after.stream().noneMatch(before::contains), "every task replaced: " + before + " -> " + after);
        assertTrue(after.containsAll(load.lastServedBy()), "only new tasks serve at the end: " + load);
        Set<String> served = new HashSet<>(load.servedBy().keySet());
        assertTrue(served.stream().anyMatch(before::contains) && served.stream().anyMatch(after::contains),
                "old and new tasks both served during the deployment: " + load);
        assertTrue(printed.contains("service-b: deployed fnr-service-b:2, 3 running"), printed);
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
