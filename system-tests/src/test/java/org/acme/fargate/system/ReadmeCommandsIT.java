package org.acme.fargate.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The commands README.md and the guides in docs/ show, run as written: stale commands are the first thing users of
 * sample apps hit. Four guides run where their scenario is proven in depth, on the topology their first command
 * starts ({@link GuideBlock}): docs/deployments.md under load in {@link DeploymentIT}, docs/observability.md in
 * {@link TracingIT}, and the --tasks and --containers guides of docs/local-tasks.md in {@link TasksTopologyIT} and
 * {@link ContainersTopologyIT}.
 */
class ReadmeCommandsIT {

    @Test
    void theFirstCommandRunsEverythingAndCtrlCStopsIt() throws Exception {
        List<String> blocks = bashBlocks();
        assertTrue(blocks.get(0).startsWith("./run-local.sh "), blocks.get(0));
        assertTrue(blocks.get(0).contains("./mvnw verify"), "the test command is the README's second: " + blocks.get(0));
        LocalTopology.run(List.of("./run-local.sh", "stop"));

        Path output = Files.createTempFile("run-local-foreground", ".log");
        Process foreground = new ProcessBuilder("./run-local.sh").directory(LocalTopology.ROOT.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (!Files.readString(output).contains("Ctrl-C stops everything") && System.nanoTime() < deadline) {
                assertTrue(foreground.isAlive(), Files.readString(output));
                Thread.sleep(200);
            }
            assertTrue(LocalTopology.isUp(), Files.readString(output));
            assertTrue(Files.readString(output).contains("http://localhost:8000"));
        } finally {
            // Ctrl-C is SIGINT to the script.
            new ProcessBuilder("kill", "-INT", String.valueOf(foreground.pid())).start().waitFor();
            assertTrue(foreground.waitFor(60, TimeUnit.SECONDS), "run-local.sh ended after Ctrl-C");
        }
        assertFalse(LocalTopology.isUp(), "Ctrl-C stopped the sidecar");
        assertTrue(LocalTopology.run(List.of("./run-local.sh", "status")).contains("nothing running"));
    }

    @Test
    void theThingsToTryWorkAsWritten() throws Exception {
        String tryNext = bashBlocks().get(1);
        assertTrue(tryNext.contains("--detach") && tryNext.contains("stop"), tryNext);
        LocalTopology.run(List.of("./run-local.sh", "stop"));
        String printed = LocalTopology.run(List.of("bash", "-euo", "pipefail", "-c", tryNext));
        assertTrue(printed.contains("service-b-3"), "status lists the third instance:\n" + printed);
        assertTrue(printed.contains("\"name\": \"service-b-3\"") && printed.contains("\"mode\": \"processes\""),
                "status --json describes the same:\n" + printed);
        assertTrue(printed.contains("\"totalCents\":16530"), "the curl printed a quote:\n" + printed);
        assertTrue(printed.contains("service-b-4: starting") && printed.contains("service-b: 4 running"), printed);
        assertEquals(false, LocalTopology.isUp(), "the block ends with stop");
    }

    @Test
    void theDiscoveryGuideWorksAsWritten() throws Exception {
        assumeAwsCli();
        String printed = runAsWritten("docs/discovery.md", "--discovery cloud-map");
        List<String> paths = printed.lines().filter(line -> line.startsWith("{\"discovery\"")).toList();
        assertEquals(3, paths.size(), printed);
        assertTrue(paths.get(0).contains("\"discovery\":\"cloud-map\"") && paths.get(0).contains("\"task\":\"service-b-1\""),
                "own AZ first: " + paths.get(0));
        assertFalse(paths.get(1).contains("\"task\":\"service-b-1\""), "unhealthy is avoided: " + paths.get(1));
        assertTrue(paths.get(2).contains("\"discovery\":\"dns\""), paths.get(2));
        assertTrue(printed.contains("service-b-1.service-b.shop.internal."), "dig shows the SRV targets:\n" + printed);
        assertFalse(LocalTopology.isUp(), "the guide ends with stop");
    }

    @Test
    void theCloudMapCliExampleWorksAsWritten() throws Exception {
        assumeAwsCli();
        String printed = runAsWritten("docs/discovery.md", "cloudmap update-service");
        assertTrue(printed.contains("\"RoutingPolicy\": \"MULTIVALUE\""), "get-service shows the DnsConfig:\n" + printed);
        List<Long> srvTtls = printed.lines().filter(line -> line.matches("service-b\\.shop\\.internal\\.\\s+\\d+\\s+IN\\s+SRV.*"))
                .map(line -> Long.parseLong(line.split("\\s+")[1])).distinct().toList();
        assertEquals(List.of(10L, 5L), srvTtls, "the answer after update-service carries the new TTL:\n" + printed);
        assertTrue(printed.contains("\"SUCCESS\""), "list-operations:\n" + printed);
        assertTrue(printed.matches("(?s).*shop\\.internal\\.\\s+15\\s+IN\\s+SOA.*"), "NXDOMAIN with the SOA's TTL:\n" + printed);
        assertTrue(printed.contains("\"WEIGHTED\""), "create-service:\n" + printed);
        assertFalse(LocalTopology.isUp(), "the example ends with stop");
    }

    @Test
    void theServiceConnectExampleWorksAsWritten() throws Exception {
        String printed = runAsWritten("docs/discovery.md", "--discovery service-connect");
        List<String> picks = printed.lines().filter(line -> line.startsWith("[\"")).toList();
        assertEquals(4, picks.size(), printed);
        assertTrue(picks.stream().allMatch(pick -> pick.startsWith("[\"127.255.0.1:8080\"")), "service-a calls the alias:\n" + printed);
        assertTrue(picks.stream().anyMatch(pick -> pick.contains("service-b-1")) && picks.stream().anyMatch(pick -> pick.contains("service-b-2")),
                "the proxy spreads the calls:\n" + printed);
        assertTrue(printed.lines().anyMatch(line -> line.matches("\\s*\\d+ service-b-3")),
                "after scale 3 the proxy sends calls to the new task:\n" + printed);
        assertFalse(LocalTopology.isUp(), "the example ends with stop");
    }

    @Test
    void theWeightedRoutingExampleWorksAsWritten() throws Exception {
        String printed = runAsWritten("docs/discovery.md", "SERVICE_B_ROUTING_POLICY=WEIGHTED");
        long srvRecords = printed.lines().filter(line -> line.matches("\\d+ \\d+ \\d+ service-b-\\d\\.service-b\\.shop\\.internal\\.")).count();
        assertEquals(2, srvRecords, "one SRV record per answer:\n" + printed);
        List<String> tasks = printed.lines().filter(line -> line.matches("service-b-\\d")).toList();
        assertEquals(4, tasks.size(), printed);
        assertTrue(tasks.contains("service-b-1") && tasks.contains("service-b-2"),
                "requests alternate between both tasks:\n" + printed);
        assertFalse(LocalTopology.isUp(), "the example ends with stop");
    }

    @Test
    void theTaskRunnerExampleWorksAsWritten() throws Exception {
        String printed = runAsWritten("docs/local-tasks.md", "task-runner.jar show");
        assertTrue(printed.contains("{\"cpu\":256,\"memory\":1024,\"image\":\"localhost/fnr/service-b:local\"}"), printed);
        assertTrue(printed.contains("TaskSize: 100-100 is not one of [256-512,") && printed.contains("refused: not one of"), printed);
    }

    @Test
    void thePathTraceGuideWorksAsWritten() throws Exception {
        String printed = runAsWritten("docs/path-trace.md", "x-path");
        List<String> hops = printed.lines().filter(line -> line.startsWith("{\"container\"")).toList();
        assertEquals(3, hops.size(), printed);
        assertTrue(hops.get(0).startsWith("{\"container\":\"frontend-sidecar\""), printed);
        assertTrue(hops.get(1).startsWith("{\"container\":\"service-a\"") && hops.get(1).contains("\"discovery\":\"dns\""), printed);
        assertTrue(hops.get(2).startsWith("{\"container\":\"service-b\""), printed);
        assertFalse(LocalTopology.isUp(), "the guide ends with stop");
    }

    /** docs/discovery.md talks to cloudmap-local with the AWS CLI, as a learner would to Cloud Map. */
    private static void assumeAwsCli() throws Exception {
        boolean installed = new ProcessBuilder("bash", "-c", "command -v aws").start().waitFor() == 0;
        if (!installed) {
            assertFalse("true".equals(System.getenv("CI")), "CI must install awscli");
            System.err.println("\n*** SKIPPING docs/discovery.md: the AWS CLI is missing (apt-get install awscli) ***\n");
        }
        Assumptions.assumeTrue(installed, "the AWS CLI is not installed");
    }

    /** Runs the bash block of a page that contains the marker, as written, from a stopped topology. */
    private static String runAsWritten(String file, String marker) throws Exception {
        String block = MarkdownScript.blockContaining(LocalTopology.ROOT.resolve(file), marker);
        LocalTopology.run(List.of("./run-local.sh", "stop"));
        return LocalTopology.run(List.of("bash", "-euo", "pipefail", "-c", block));
    }

    /** README.md's bash blocks, as the workshop's runner reads them (MarkdownScript). */
    private static List<String> bashBlocks() throws Exception {
        return MarkdownScript.blocks(LocalTopology.ROOT.resolve("README.md")).stream().map(MarkdownScript.Block::code).toList();
    }
}
