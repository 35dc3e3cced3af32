package org.acme.fargate.system;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code ./run-local.sh --tasks}: the awsvpc model with real network namespaces. Each task has its own IP
 * in 198.18.0.0/15 and its security group as nftables rules; this machine plays the ALB. The topology is
 * docs/local-tasks.md's: its guide's first command starts it, the guide's commands run as written on it, and its
 * last command stops it. Needs Linux and root (CI is both); elsewhere the class is skipped with a loud message.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TasksTopologyIT {

    private static final String WEB_TASK = "198.18.1.1";
    private static final String SERVICE_B_1 = "198.18.2.1";
    private static final String SERVICE_B_2 = "198.18.2.2";
    private static final String PAGE = "http://" + WEB_TASK + ":8000";

    /** docs/local-tasks.md's --tasks guide. */
    private static GuideBlock guide;

    @BeforeAll
    static void startTheTasks() throws Exception {
        String why = whyNotSupported();
        if (why != null) {
            System.err.println("\n*** SKIPPING the --tasks topology tests: " + why + " .ci/run runs them as root. ***\n");
        }
        Assumptions.assumeTrue(why == null, why);
        guide = GuideBlock.of("docs/local-tasks.md", "--tasks --detach");
        assertEquals("./run-local.sh --tasks --detach", guide.commands().get(0), "two service-b tasks, the default");
        LocalTopology.runLocal("stop");
        // A namespace left behind by a run that was killed: start must clean it up, not fail on it.
        run("ip", "netns", "add", "fnr-web-1");
        guide.start();
    }

    @AfterAll
    static void stopTheTasks() throws Exception {
        if (whyNotSupported() == null) {
            LocalTopology.runLocal("stop");
        }
    }

    @Test
    @Order(1)
    void thePageThroughTheSidecarShowsEachTaskWithItsOwnAddress() {
        Set<String> serviceBAddresses = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            JsonPath path = TracedPath.of(PAGE);
            assertEquals(WEB_TASK, path.getString("[0].privateIp"));
            assertEquals(WEB_TASK, path.getString("[1].privateIp")); // service-a shares the web task's namespace
            assertTrue(path.getString("[1].pickedInstance").startsWith("198.18.2."), path.prettify());
            assertEquals(8080, path.getInt("[2].port")); // every service-b task on the same container port
            serviceBAddresses.add(path.getString("[2].privateIp"));
        }
        assertEquals(Set.of(SERVICE_B_1, SERVICE_B_2), serviceBAddresses);
    }

    @Test
    @Order(2)
    void serviceAIsReachableOnlyOverItsTasksLocalhost() throws Exception {
        refusedFromHost(WEB_TASK, 8080);
        assertEquals("refused", curlFrom("service-b-1", "http://" + WEB_TASK + ":8080/q/health/ready"));
        assertEquals("200", curlFrom("web-1", "http://127.0.0.1:8080/q/health/ready"));
    }

    @Test
    @Order(3)
    void serviceBIsReachableFromTheWebTaskOnly() throws Exception {
        assertEquals("200", curlFrom("web-1", "http://" + SERVICE_B_1 + ":8080/q/health/ready"));
        // service-b listens on every interface: only its security group stops these.
        refusedFromHost(SERVICE_B_1, 8080);
        assertEquals("refused", curlFrom("service-b-2", "http://" + SERVICE_B_1 + ":8080/q/health/ready"));
    }

    @Test
    @Order(4)
    void theLoadBalancerReachesOnlyTheSidecarsPort() throws Exception {
        given().baseUri(PAGE).get("/q/health/ready").then().statusCode(200);
        assertEquals("refused", curlFrom("service-b-1", PAGE + "/q/health/ready"));
    }

    @Test
    @Order(5)
    void eachTaskResolvesServiceBThroughTheVpcResolver() throws Exception {
        String answer = inTask("web-1", "dig", "+short", "SRV", "service-b.shop.internal");
        assertTrue(answer.contains("8080 service-b-1.service-b.shop.internal.") && answer.contains("service-b-2"), answer);
        assertEquals(SERVICE_B_2, inTask("web-1", "dig", "+short", "service-b-2.service-b.shop.internal").trim());
    }

    @Test
    @Order(6)
    void aTaskAddedWithScaleGetsItsOwnNamespaceAndIsUsed() throws Exception {
        LocalTopology.runLocal("scale", "3");
        Set<String> seen = new HashSet<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!seen.contains("198.18.2.3") && System.nanoTime() < deadline) {
            seen.add(TracedPath.of(PAGE).getString("[2].privateIp"));
        }
        assertTrue(seen.contains("198.18.2.3"), "the third task served: " + seen);
        LocalTopology.runLocal("scale", "2");
        assertFalse(run("ip", "netns", "list").contains("fnr-service-b-3"), "its namespace is gone");
    }

    @Test
    @Order(7)
    void theGuidesCommandsWorkAsWritten() throws Exception {
        String printed = guide.runMiddle();
        assertTrue(printed.contains("\"privateIp\":\"198.18.1.1\""), "the page's path shows the web task's IP:\n" + printed);
        assertTrue(printed.contains("8080 service-b-1.service-b.shop.internal."), "dig in the task:\n" + printed);
        assertTrue(printed.contains("web-1 -> service-b-1:8080 200"), printed);
        assertTrue(printed.contains("this machine -> service-a: refused"), printed);
        assertTrue(printed.contains("service-b-2 -> service-b-1: refused"), printed);
        assertTrue(printed.contains("ip saddr 198.18.1.0/24 tcp dport 8080 accept"), "the security group's rule:\n" + printed);
        assertTrue(printed.contains("service-b: 3 running"), printed);
    }

    /** The guide's last command, then once more. */
    @Test
    @Order(8)
    void stopLeavesNothingBehindAndCanRunTwice() throws Exception {
        guide.stop();
        LocalTopology.runLocal("stop");
        assertFalse(run("ip", "netns", "list").contains("fnr-"), "no namespace left");
        assertFalse(run("ip", "-o", "link", "show").matches("(?s).*\\b(fnr0|fv-[a-z0-9]+)\\b.*"), "no interface left");
        try (var leftovers = Files.list(Path.of("/etc/netns")).filter(p -> p.getFileName().toString().startsWith("fnr-"))) {
            assertEquals(List.of(), leftovers.toList(), "no resolv.conf left");
        } catch (NoSuchFileException noNetnsDirectory) {
            // Nothing was ever there.
        }
    }

    private static void refusedFromHost(String host, int port) {
        assertThrows(ConnectException.class, () -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), 3_000);
            }
        }, host + ":" + port + " must refuse this machine's connection");
    }

    /** The HTTP status curl got inside a task's namespace, or "refused". */
    private static String curlFrom(String task, String url) throws Exception {
        String out = inTask(task, "sh", "-c",
                "curl -s -o /dev/null -m 3 -w '%{http_code}' '" + url + "'; echo \" exit=$?\"");
        return out.contains("exit=7") ? "refused" : out.substring(0, out.indexOf(' '));
    }

    private static String inTask(String task, String... command) throws Exception {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", "fnr-" + task));
        full.addAll(List.of(command));
        return run(full.toArray(String[]::new));
    }

    private static String run(String... command) throws IOException, InterruptedException {
        return LocalTopology.run(List.of(command));
    }

    /** Null when this machine can run --tasks; otherwise why not. */
    static String whyNotSupported() {
        if (!System.getProperty("os.name").equals("Linux")) {
            return "--tasks needs Linux network namespaces.";
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            return "--tasks needs root (network namespaces, a bridge, nftables).";
        }
        for (String tool : List.of("/usr/sbin/ip", "/usr/sbin/nft", "/usr/bin/dig")) {
            if (!Files.isExecutable(Path.of(tool)) && !Files.isExecutable(Path.of(tool.replace("/usr", "")))) {
                return tool + " is missing (apt-get install iproute2 nftables dnsutils).";
            }
        }
        return null;
    }
}
