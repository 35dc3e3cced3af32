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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ./run-local.sh deploy service-b} under continuous load, in each discovery mode: ECS's rolling deployment
 * with the template's settings replaces every task, and no request fails.
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
        String printed;
        try (BoundedLoad load = BoundedLoad.start(LocalTopology.PAGE, 4, Duration.ofSeconds(180))) {
            Thread.sleep(3_000);
            printed = LocalTopology.runLocal("deploy", "service-b");
            Thread.sleep(3_000);
            load.close();
            assertTrue(load.requests() > 100, load.toString());
            assertEquals(List.of(), load.failures(), discovery + ": " + load + "\n" + printed);
            Set<String> after = serviceBTasks();
            assertEquals(3, after.size(), printed);
            assertTrue(after.stream().noneMatch(before::contains), "every task replaced: " + before + " -> " + after);
            assertTrue(after.containsAll(load.lastServedBy()), "only new tasks serve at the end: " + load);
            Set<String> served = new HashSet<>(load.servedBy().keySet());
            assertTrue(served.stream().anyMatch(before::contains) && served.stream().anyMatch(after::contains),
                    "old and new tasks both served during the deployment: " + load);
        }
        assertTrue(printed.contains("service-b: deployed, 3 running"), printed);
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
