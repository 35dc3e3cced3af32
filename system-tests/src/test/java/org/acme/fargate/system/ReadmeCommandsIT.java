package org.acme.fargate.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The commands README.md and the guides in docs/ show, run as written: stale commands are the first thing users of
 * sample apps hit. Four guides run where their scenario is proven in depth, on the topology their first command
 * starts ({@link GuideBlock}): docs/deployments.md under load in {@link DeploymentIT}, docs/observability.md in
 * {@link TracingIT}, and the --tasks and --containers guides of docs/local-tasks.md in {@link TasksTopologyIT} and
 * {@link ContainersTopologyIT}.
 */
@Execution(value = ExecutionMode.CONCURRENT, reason = "each block on local/own-network.sh")
class ReadmeCommandsIT {

    @Test
    void theFirstCommandRunsEverythingAndCtrlCStopsIt() throws Exception {
        List<String> blocks = bashBlocks();
        assertTrue(blocks.get(0).startsWith("./run-local.sh "), blocks.get(0));
        assertTrue(blocks.get(0).contains("./mvnw verify"), "the test command is the README's second: " + blocks.get(0));
        // In the foreground as a reader runs it; then Ctrl-C, which is SIGINT to the script. (set -m: a non-interactive
        // shell would start it with SIGINT ignored, and a script cannot trap a signal ignored when it started.)
        String printed = onOwnNetwork("""
                set -m
                log=$(mktemp)
                ./run-local.sh > "$log" 2>&1 &
                for i in $(seq 900); do
                  grep -q 'Ctrl-C stops everything' "$log" && break
                  kill -0 $! 2> /dev/null || break
                  sleep 0.2
                done
                curl -s -o /dev/null -w 'the page: %{http_code}\n' localhost:8000/
                kill -INT $!
                wait $! || echo "run-local.sh exited with $?"
                curl -s -o /dev/null localhost:8000/ || echo "after Ctrl-C: nothing on 8000"
                ./run-local.sh status
                cat "$log"; rm -f "$log"
                """);
        assertTrue(printed.contains("the page: 200"), printed);
        assertTrue(printed.contains("http://localhost:8000"), printed);
        assertTrue(printed.contains("after Ctrl-C: nothing on 8000"), "Ctrl-C stopped the sidecar: " + printed);
        assertTrue(printed.contains("nothing running"), printed);
    }

    @Test
    void theThingsToTryWorkAsWritten() throws Exception {
        String tryNext = bashBlocks().get(1);
        assertTrue(tryNext.contains("--detach") && tryNext.contains("stop"), tryNext);
        String printed = onOwnNetwork(tryNext);
        assertTrue(printed.contains("service-b-3"), "status lists the third instance:\n" + printed);
        assertTrue(printed.contains("\"name\": \"service-b-3\"") && printed.contains("\"mode\": \"processes\""),
                "status --json describes the same:\n" + printed);
        assertTrue(printed.contains("\"totalCents\":16530"), "the curl printed a quote:\n" + printed);
        assertTrue(printed.contains("service-b-4: starting") && printed.contains("service-b: 4 running"), printed);
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

    /** Runs the bash block of a page that contains the marker, as written, from nothing running. */
    private static String runAsWritten(String file, String marker) throws Exception {
        return onOwnNetwork(MarkdownScript.blockContaining(LocalTopology.ROOT.resolve(file), marker));
    }

    /**
     * Runs a script on a network of its own, as on a machine where nothing runs yet ({@code local/own-network.sh}), so
     * that this class runs beside the classes on this machine's ports; a script that leaves a process running (a guide
     * that does not end with stop) fails.
     */
    private static String onOwnNetwork(String script) throws Exception {
        LocalTopology.Result result = LocalTopology.onOwnNetwork(script, 600);
        assertEquals(0, result.exitCode(), result.output());
        return result.output();
    }

    /** README.md's bash blocks, as the workshop's runner reads them (MarkdownScript). */
    private static List<String> bashBlocks() throws Exception {
        return MarkdownScript.blocks(LocalTopology.ROOT.resolve("README.md")).stream().map(MarkdownScript.Block::code).toList();
    }
}
