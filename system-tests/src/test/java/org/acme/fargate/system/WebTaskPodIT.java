package org.acme.fargate.system;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.acme.fargate.taskrunner.LocalSecrets;
import org.acme.fargate.taskrunner.Podman;
import org.acme.fargate.taskrunner.Stack;
import org.acme.fargate.taskrunner.TaskAgent;
import org.acme.fargate.taskrunner.TaskDefinitions;
import org.acme.fargate.taskrunner.TaskPod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The images that deploy, run as ECS runs them, from the task definitions in infra/templates: the web task
 * (frontend-sidecar and service-a in one pod) and a service-b task, each in its own pod. Everything a container
 * gets (image, user 185, read-only root, /tmp volume, environment, health check, start order, stop timeout,
 * task size) comes from the templates through {@link TaskDefinitions}, run by {@link TaskPod}; the one thing this test sets itself is
 * where service-a finds service-b (static, the service-b pod's address), because no Cloud Map DNS runs in
 * podman's network yet.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Execution(value = ExecutionMode.CONCURRENT, reason = "its pods publish port 18000 only, beside the classes on the fixed ports")
class WebTaskPodIT {

    private static final String WEB = "fnr-it-web";
    private static final String SERVICE_B = "fnr-it-service-b";
    private static final int PAGE_PORT = 18000;

    private static TaskPod web;
    private static TaskPod serviceB;
    private static String serviceBAddress;

    @BeforeAll
    static void buildImagesAndStartTheTasks() throws Exception {
        String why = Podman.whyNotSupported();
        if (why != null) {
            assertFalse("true".equals(System.getenv("CI")), "CI must install podman: " + why);
            System.err.println("\n*** SKIPPING the image tests: " + why + " ***\n");
        }
        Assumptions.assumeTrue(why == null, why);
        LocalTopology.Result built = LocalTopology.exec(List.of("images/build-images.sh"), 900);
        assertEquals(0, built.exitCode(), built.output());

        Stack serviceBStack = Stack.all(LocalTopology.ROOT.resolve("infra/stacks")).stream()
                .filter(stack -> stack.name().equals("service-b")).findFirst().orElseThrow();
        serviceB = new TaskPod(TaskDefinitions.read(template(serviceBStack.template()),
                serviceBStack.parametersWith(Map.of("TaskSize", "512-1024")), TaskDefinitions.LOCAL_EXPORTS), SERVICE_B, SECRETS);
        serviceB.start(Map.of());
        serviceB.awaitHealthy(serviceB.task().container("service-b"));
        serviceBAddress = Podman.run("inspect", "--format", "{{.NetworkSettings.IPAddress}}",
                serviceB.containerName("service-b")).trim();
        if (serviceBAddress.isEmpty()) { // the pod's infra container holds the address
            serviceBAddress = Podman.run("pod", "inspect", "--format", "{{.InfraContainerID}}", SERVICE_B).trim();
            serviceBAddress = Podman.run("inspect", "--format", "{{.NetworkSettings.IPAddress}}", serviceBAddress).trim();
        }

        web = startWebTask("512-1024");
    }

    /** The web task at one of the template's sizes; service-a finds service-b at the service-b pod's address. */
    private static TaskPod startWebTask(String taskSize) throws InterruptedException {
        TaskPod task = new TaskPod(TaskDefinitions.read(template("web"), Map.of(
                "SidecarImageUri", TaskDefinitions.localImage("frontend-sidecar"), "ServiceAImageUri", TaskDefinitions.localImage("service-a"),
                "DiscoveryMode", "dns", "TaskSize", taskSize), TaskDefinitions.LOCAL_EXPORTS), WEB, SECRETS);
        task.create(Map.of(8000, PAGE_PORT), false);
        task.start(Map.of("service-a", Map.of("SERVICE_B_DISCOVERY", "static", "SERVICE_B_ADDRESSES", serviceBAddress + ":8080")));
        task.awaitHealthy(task.task().container("frontend-sidecar"));
        return task;
    }

    /** The checkout's local Secrets Manager: service-a's SERVICE_B_API_KEY and service-b's API_KEY are one secret. */
    private static final LocalSecrets SECRETS = LocalSecrets.beside(template("web"));

    private static Path template(String name) {
        return LocalTopology.ROOT.resolve("infra/templates/" + name + ".yaml");
    }

    @AfterAll
    static void stopTheTasks() {
        if (Podman.whyNotSupported() == null) {
            new TaskPod(null, WEB, SECRETS).remove();
            new TaskPod(null, SERVICE_B, SECRETS).remove();
        }
    }

    @Test
    @Order(1)
    @Execution(ExecutionMode.SAME_THREAD) // one task's life, in order (the class's CONCURRENT would apply here too)
    void thePageAndTheApiAnswerThroughTheSidecarsPublishedPort() {
        given().baseUri("http://127.0.0.1:" + PAGE_PORT).get("/").then().statusCode(200);
        JsonPath path = TracedPath.of("http://127.0.0.1:" + PAGE_PORT);
        assertEquals(List.of("frontend-sidecar", "service-a", "service-b"), path.getList("container"));
        // awsvpc: the two containers of the web task share one address; service-b's task has its own.
        assertEquals(path.getString("[0].privateIp"), path.getString("[1].privateIp"));
        assertNotEquals(path.getString("[1].privateIp"), path.getString("[2].privateIp"));
    }

    @Test
    @Order(1)
    @Execution(ExecutionMode.SAME_THREAD) // one task's life, in order (the class's CONCURRENT would apply here too)
    void serviceAIsReachableOnlyFromInsideItsTask() throws Exception {
        String webAddress = Podman.run("exec", web.containerName("frontend-sidecar"), "/bin/bash", "-c",
                "hostname -I").trim().split("\\s+")[0];
        assertFalse(connects(webAddress, 8080), "service-a listens on the task's loopback only");
        assertTrue(connects(webAddress, 8000), "the sidecar's port is the task's way in");
        Podman.Result fromAnotherTask = Podman.attempt("exec", serviceB.containerName("service-b"),
                "/bin/bash", "-c", "exec 3<>/dev/tcp/" + webAddress + "/8080");
        assertNotEquals(0, fromAnotherTask.exitCode(), "service-a answered another task: " + fromAnotherTask.output());
        // From the sidecar, over the task's shared localhost, service-a answers.
        Podman.run("exec", web.containerName("frontend-sidecar"), "/bin/bash", "-c",
                "exec 3<>/dev/tcp/127.0.0.1/8080");
    }

    @Test
    @Order(1)
    @Execution(ExecutionMode.SAME_THREAD) // one task's life, in order (the class's CONCURRENT would apply here too)
    void theRootFilesystemIsReadOnlyAndTmpIsWritable() {
        String serviceA = web.containerName("service-a");
        Podman.Result root = Podman.attempt("exec", serviceA, "/bin/bash", "-c", "touch /deployments/written");
        assertNotEquals(0, root.exitCode(), "the root filesystem took a write: " + root.output());
        Podman.run("exec", serviceA, "/bin/bash", "-c", "touch /tmp/written");
        assertEquals("185", Podman.run("exec", serviceA, "id", "-u").trim());
    }

    @Test
    @Order(1)
    @Execution(ExecutionMode.SAME_THREAD) // one task's life, in order (the class's CONCURRENT would apply here too)
    void theJvmTakesTheTaskDefinitionsMemorySettingAndLogsJson() {
        String logs = Podman.run("logs", web.containerName("service-a"));
        String expected = web.task().container("service-a").environment().get("JAVA_TOOL_OPTIONS");
        assertTrue(logs.contains("Picked up JAVA_TOOL_OPTIONS: " + expected), logs);
        // The prod profile's JSON lines, which need the JBoss log manager the entrypoint names.
        assertTrue(logs.lines().anyMatch(line -> line.startsWith("{") && line.contains("\"loggerName\"")
                && line.contains("\"service\":\"service-a\"")), logs);
    }

    /**
     * Each image's JVM runs on the AppCDS archive its image was built with (ecs-task's properties), under the task
     * definition's own JAVA_TOOL_OPTIONS: the archive is mapped into the JVM's memory, which a JVM that rejected it
     * (another JVM build, other options, a damaged file) would have unmapped again.
     */
    @Test
    @Order(1)
    @Execution(ExecutionMode.SAME_THREAD) // one task's life, in order (the class's CONCURRENT would apply here too)
    void everyJvmRunsOnItsImagesAppCdsArchive() {
        for (TaskPod task : List.of(web, serviceB)) {
            for (TaskDefinitions.Container container : task.task().containers()) {
                assertTrue(mapsTheArchive(task.containerName(container.name())), container.name() + " runs without its archive");
            }
        }
    }

    /** An archive this JVM cannot use is no failure: the service starts without it and serves, as a JVM with no archive. */
    @Test
    @Order(1)
    @Execution(ExecutionMode.SAME_THREAD) // one task's life, in order (the class's CONCURRENT would apply here too)
    void aDamagedArchiveIsSkippedAndTheServiceStartsWithoutIt() throws Exception {
        String name = "fnr-it-damaged-archive";
        Podman.attempt("rm", "-f", name);
        Path damaged = Files.createTempFile("damaged", ".jsa");
        Podman.run("create", "--name", name, TaskDefinitions.localImage("service-b"));
        Podman.run("cp", name + ":" + ARCHIVE, damaged.toString());
        Podman.run("rm", name);
        byte[] archive = Files.readAllBytes(damaged);
        archive[0] ^= 0x5A; // its magic number: what a JVM checks first
        Files.write(damaged, archive);
        try {
            Podman.run("run", "-d", "--name", name, "-e", "API_KEY=damaged-archive-test", "-e",
                    "JAVA_TOOL_OPTIONS=" + serviceB.task().container("service-b").environment().get("JAVA_TOOL_OPTIONS"),
                    "-v", damaged + ":" + ARCHIVE + ":ro", TaskDefinitions.localImage("service-b"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Podman.run("logs", name).contains("started in") && System.nanoTime() < deadline) {
                Thread.sleep(250);
            }
            List<String> healthCheck = serviceB.task().container("service-b").healthCheck().command();
            Podman.Result ready = Podman.attempt("exec", name, "/bin/bash", "-c", healthCheck.get(healthCheck.size() - 1));
            assertEquals(0, ready.exitCode(), "its health check: " + ready.output() + Podman.run("logs", name));
            assertFalse(mapsTheArchive(name), "the damaged archive is in use");
        } finally {
            Podman.attempt("rm", "-f", name);
            Files.delete(damaged);
        }
    }

    private static final String ARCHIVE = "/deployments/app-cds.jsa";

    private static boolean mapsTheArchive(String containerName) {
        // The JVM is the container's first process: the entrypoint runs java itself, with no shell or init before it.
        return Podman.attempt("exec", containerName, "grep", "-q", ARCHIVE, "/proc/1/maps").exitCode() == 0;
    }

    @Test
    @Order(1)
    @Execution(ExecutionMode.SAME_THREAD) // one task's life, in order (the class's CONCURRENT would apply here too)
    void aHealthCheckAtTheWrongPortFails() {
        TaskDefinitions.HealthCheck check = web.task().container("service-a").healthCheck();
        List<String> broken = check.command().stream().map(part -> part.replace("/8080", "/8089")).toList();
        assertNotEquals(check.command(), broken);
        Podman.Result result = Podman.attempt("exec", web.containerName("service-a"), "/bin/bash", "-c",
                broken.get(broken.size() - 1));
        assertNotEquals(0, result.exitCode(), "the broken check passed");
        Podman.Result working = Podman.attempt("exec", web.containerName("service-a"), "/bin/bash", "-c",
                check.command().get(check.command().size() - 1));
        assertEquals(0, working.exitCode(), working.output());
    }

    @Test
    @Order(2)
    @Execution(ExecutionMode.SAME_THREAD) // one task's life, in order (the class's CONCURRENT would apply here too)
    void stoppedAsEcsStopsItEachContainerEndsWithinItsStopTimeout() {
        long start = System.nanoTime();
        int longest = web.task().containers().stream().mapToInt(TaskDefinitions.Container::stopTimeout).max().orElseThrow();
        web.stop();
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        assertTrue(seconds < longest, "the task took " + seconds + " s to stop; SIGKILL comes at " + longest + " s");
        for (TaskDefinitions.Container container : web.task().containers()) {
            String exit = Podman.run("inspect", "--format", "{{.State.ExitCode}}", web.containerName(container.name())).trim();
            assertNotEquals("137", exit, container.name() + " was killed, not stopped");
        }
    }

    /**
     * The smallest size Fargate offers, 0.25 vCPU and 512 MiB for the whole task: both JVMs inside the limit with
     * the template's JAVA_TOOL_OPTIONS, under bounded load, and nothing killed for memory.
     */
    @Test
    @Order(3)
    @Execution(ExecutionMode.SAME_THREAD) // one task's life, in order (the class's CONCURRENT would apply here too)
    void atTheSmallestSizeBothJvmsStayInsideTheTasksMemory() throws Exception {
        web = startWebTask("256-512");
        assertEquals(512, web.task().memory());
        String load;
        try (BoundedLoad clients = BoundedLoad.start("http://127.0.0.1:" + PAGE_PORT, 4, java.time.Duration.ofSeconds(20))) {
            Thread.sleep(20_000);
            load = clients.toString();
            assertTrue(clients.requests() > 0, load);
        }
        for (TaskDefinitions.Container container : web.task().containers()) {
            String name = web.containerName(container.name());
            assertEquals("running false", Podman.run("inspect", "--format", "{{.State.Status}} {{.State.OOMKilled}}", name).trim(),
                    name + " after " + load);
        }
        given().baseUri("http://127.0.0.1:" + PAGE_PORT).get("/api/products/TEA-001").then().statusCode(200);
    }

    /** An essential container that exits stops the task, as ECS stops it: the sidecar with it, not left serving 502s. */
    @Test
    @Order(4)
    @Execution(ExecutionMode.SAME_THREAD) // one task's life, in order (the class's CONCURRENT would apply here too)
    void whenServiceAExitsTheTaskStops() throws Exception {
        web = startWebTask("512-1024");
        assertTrue(web.task().container("service-a").essential(), "the template marks service-a essential");
        TaskAgent agent = new TaskAgent(web, System.out);
        CompletableFuture<String> stoppedReason = CompletableFuture.supplyAsync(() -> {
            try {
                return agent.watch();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        });
        Podman.run("kill", web.containerName("service-a")); // a crash: SIGKILL, no shutdown
        int stopTimeout = web.task().container("frontend-sidecar").stopTimeout();
        assertEquals(TaskAgent.ESSENTIAL_CONTAINER_EXITED + ": service-a", stoppedReason.get(stopTimeout + 20L, TimeUnit.SECONDS));
        String sidecar = Podman.run("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}",
                web.containerName("frontend-sidecar")).trim();
        assertEquals("exited 143", sidecar, "the sidecar was stopped with SIGTERM and finished within its stop timeout");
        assertFalse(connects("127.0.0.1", PAGE_PORT), "nothing answers on the task's port any more");
    }

    private static boolean connects(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 2_000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }
}
