package org.acme.fargate.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.acme.fargate.taskrunner.Podman;
import org.acme.fargate.taskrunner.TaskAgent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * {@code ./run-local.sh --containers}: the topology from the images and the task definitions, each task a podman
 * pod in its own network namespace. The page works in a real browser, each task runs what its template says, the
 * agent's side works as docs/local-tasks.md's --containers guide shows (essential containers, scale, stop; the
 * guide's commands run as written on this topology, which its first command starts and its last stops), and a
 * deployment at the templates' task sizes (where a new task's warm-up is real) loses no request.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainersTopologyIT {

    /** The web task's own address: the load balancer's target. */
    private static final String PAGE = "http://198.18.1.1:8000";

    /** docs/local-tasks.md's --containers guide. */
    private static GuideBlock guide;

    @BeforeAll
    static void startTheContainersAsTheGuideDoes() throws Exception {
        assumeSupported("the --containers topology tests");
        guide = GuideBlock.of("docs/local-tasks.md", "--containers --detach");
        assertEquals("./run-local.sh --containers --detach", guide.commands().get(0), "two service-b tasks, the default");
        LocalTopology.runLocal("stop");
        guide.start();
    }

    /** --containers needs what --tasks needs, and podman: skips loudly without them, except in CI. */
    static void assumeSupported(String tests) {
        String why = TasksTopologyIT.whyNotSupported();
        why = why != null ? why : Podman.whyNotSupported();
        if (why != null) {
            assertFalse("true".equals(System.getenv("CI")), "CI must run " + tests + ": " + why);
            System.err.println("\n*** SKIPPING " + tests + ": " + why + " ***\n");
        }
        Assumptions.assumeTrue(why == null, why);
    }

    @AfterAll
    static void stopTheContainers() throws Exception {
        if (TasksTopologyIT.whyNotSupported() == null && Podman.whyNotSupported() == null) {
            LocalTopology.runLocal("stop");
        }
    }

    @Test
    @Order(1)
    void thePageWorksInABrowser() throws Exception {
        ChromeDriver browser = PageIT.headlessChromium();
        try {
            PageIT.priceABasketAndDrawThePath(browser, LocalTopology.PAGE); // through the load balancer, as users come
            PageIT.saveScreenshot(browser, "page-containers.png");
        } finally {
            browser.quit();
        }
    }

    @Test
    @Order(2)
    void eachTaskIsAPodOfItsTemplatesImagesAndItsAgentIsTheTrackedProcess() throws Exception {
        JsonPath status = new JsonPath(LocalTopology.run(List.of("./run-local.sh", "status", "--json")));
        assertEquals("containers", status.getString("mode"));
        assertEquals(List.of("cloudmap-local", "service-b-1", "service-b-2", "web-1", "load-balancer"), status.getList("processes.name"));
        assertEquals(List.of("up", "up", "up", "up", "up"), status.getList("processes.state"));
        for (String task : List.of("web-1", "service-b-1", "service-b-2")) {
            assertEquals("Running", Podman.run("pod", "inspect", "--format", "{{.State}}", "fnr-" + task).trim(), task);
        }
        assertEquals("localhost/fnr/service-a:local 185 true",
                Podman.run("inspect", "--format", "{{.ImageName}} {{.Config.User}} {{.HostConfig.ReadonlyRootfs}}",
                        "fnr-web-1-service-a").trim());
        // The pod's network namespace is the task's: the address and security group --tasks gives a task.
        JsonPath path = TracedPath.of(PAGE);
        assertEquals(List.of("198.18.1.1", "198.18.1.1"), path.getList("privateIp").subList(0, 2));
        assertTrue(path.getString("[2].privateIp").startsWith("198.18.2."), path.prettify());
        assertEquals(List.of("fnr-web:1", "fnr-web:1", "fnr-service-b:1"), path.getList("taskDefinition"), "each task's definition and revision");
    }

    @Test
    @Order(3)
    void theGuidesCommandsWorkAsWritten() throws Exception {
        String printed = guide.runMiddle();
        assertTrue(printed.contains("fnr-web-1-service-a localhost/fnr/service-a:local"), "the web task's images:\n" + printed);
        assertTrue(printed.contains("fnr-web-1-frontend-sidecar localhost/fnr/frontend-sidecar:local"), printed);
        assertTrue(printed.contains("\"container\":\"service-b\",\"taskId\":\"service-b-"), "three hops:\n" + printed);
        assertTrue(printed.contains("\"privateIp\":\"198.18.1.1\""), "the web task's IP:\n" + printed);
        assertTrue(printed.lines().anyMatch(line -> line.equals("185")), "the template's user:\n" + printed);
        assertTrue(printed.contains("root filesystem: read-only"), printed);
        assertTrue(printed.contains("service-b-2 -> service-b-1: refused (security group)"), printed);
        assertTrue(printed.contains("task fnr-service-b-1: STOPPED: " + TaskAgent.ESSENTIAL_CONTAINER_EXITED + ": service-b"), printed);
        assertTrue(printed.contains("service-b-1: stopped unexpectedly; replacing it"), printed);
        assertTrue(printed.contains("service-b: 2 running"), printed);
    }

    @Test
    @Order(4)
    void aDeploymentOfServiceBAtTheTemplatesTaskSizesLosesNoRequest() throws Exception {
        String printed;
        try (BoundedLoad load = BoundedLoad.buying(LocalTopology.PAGE, 4, Duration.ofSeconds(300))) {
            Thread.sleep(3_000);
            printed = LocalTopology.runLocal("deploy", "service-b");
            load.close();
            assertEquals(List.of(), load.failures(), load + "\n" + printed);
            assertEquals(Set.of("service-b-3", "service-b-4"), Set.copyOf(load.lastServedBy()), "only the new tasks at the end: " + load);
        }
        assertTrue(printed.contains("service-b: deployed fnr-service-b:2, 2 running (service-b-3 service-b-4)"), printed);
    }

    @Test
    @Order(5)
    void theGuidesLastCommandStopsEverything() throws Exception {
        guide.stop();
        assertFalse(LocalTopology.run(List.of("ip", "netns", "list")).contains("fnr-"), "the guide ends with stop");
        // Its own pods only: WebTaskPodIT's (fnr-it-…) may be running in another lane.
        assertEquals(List.of(), Podman.run("pod", "ls", "--format", "{{.Name}}").lines()
                .filter(pod -> pod.matches("fnr-(web|service-b)-[0-9]+")).toList(), "stop leaves no pod");
    }
}
