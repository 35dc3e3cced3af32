package org.acme.fargate.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * bench/run.sh in its smoke mode, so that the benchmark never rots: every case runs every configuration, no
 * request fails (a burst that the other lanes' load made fail is warmed up and run again, twice at most: the smoke
 * run measures nothing), each target answers at once after each burst, no JVM is killed by its task's memory limit.
 * It asserts no timing (the machines are noisy); docs/benchmarks.md holds the measured numbers of a full run.
 */
@Execution(value = ExecutionMode.CONCURRENT, reason = "on local/own-network.sh")
class BenchSmokeIT {

    private static final List<String> CASES = List.of("proxy", "web-task", "discovery", "startup", "limits", "warmup", "tracing");
    private static final Path SMOKE_RESULTS = LocalTopology.ROOT.resolve("bench/.work/results");

    private static String printed;

    @BeforeAll
    static void runTheSmokeMode() throws Exception {
        boolean installed = new ProcessBuilder("bash", "-c",
                "command -v wrk && command -v haproxy && (command -v nginx || test -x /usr/sbin/nginx)")
                .start().waitFor() == 0;
        if (!installed) {
            assertFalse("true".equals(System.getenv("CI")), "CI must install nginx, wrk and haproxy");
            System.err.println("\n*** SKIPPING bench/run.sh --smoke: apt-get install nginx wrk haproxy ***\n");
        }
        Assumptions.assumeTrue(installed, "nginx, wrk or haproxy is not installed");
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "limits and warmup need root (cgroups)");

        String command = Files.readString(LocalTopology.ROOT.resolve("docs/benchmarks.md")).lines()
                .filter(line -> line.startsWith("bench/run.sh --smoke")).findFirst().orElseThrow();
        // On a network of its own, beside the classes on this machine's ports. (Not at a lower CPU priority: starved, its
        // load runs would serve nothing, and its "answers at once after the burst" would fail.) The training runs and
        // the two task sizes run at a fraction of a CPU: the longest part.
        LocalTopology.Result smoke = LocalTopology.onOwnNetwork(command, 1_500); // fails when the bench left a process running
        printed = smoke.output();
        assertEquals(0, smoke.exitCode(), printed);
    }

    @Test
    void theLoadCasesServeEveryTargetWithoutErrorAndAnswerAfterEachBurst() throws IOException {
        Map<String, Set<String>> expected = new LinkedHashMap<>();
        expected.put("proxy", Set.of("direct/16", "direct/64", "nginx/16", "nginx/64", "frontend-sidecar/16", "frontend-sidecar/64",
                "bare-vertx/16", "bare-vertx/64", "bare-netty/16", "bare-netty/64"));
        expected.put("web-task", Set.of("nginx-task/16", "nginx-task/64", "web-task/16", "web-task/64", "service-a/16", "service-a/64"));
        expected.put("tracing", Set.of("untraced/16", "untraced/64", "sampled/16", "sampled/64", "traced/16", "traced/64",
                "logged/16", "logged/64"));
        expected.put("discovery", Set.of("hard-coded/16", "static/16", "dns/16", "cloud-map/16", "service-connect/16"));
        for (var loadCase : expected.entrySet()) {
            List<Map<String, String>> rows = rows(loadCase.getKey());
            assertEquals(loadCase.getValue(), rows.stream().map(row -> row.get("target") + "/" + row.get("connections"))
                    .collect(Collectors.toSet()), printed);
            for (Map<String, String> row : rows) {
                assertTrue(Double.parseDouble(row.get("rps")) > 0, "requests were served: " + row);
                assertEquals("0", row.get("errors"), "no failed request: " + row);
                assertEquals("yes", row.get("answered_after"), "answered at once after the burst: " + row);
            }
            assertTrue(Files.readString(SMOKE_RESULTS.resolve(loadCase.getKey() + ".md")).contains("| 16 |"), loadCase.getKey());
        }
        List<Map<String, String>> cpu = rows("proxy-cpu");
        assertEquals(Set.of("nginx/16", "nginx/64", "frontend-sidecar/16", "frontend-sidecar/64", "bare-vertx/16", "bare-vertx/64",
                "bare-netty/16", "bare-netty/64"), cpu.stream().map(row -> row.get("target") + "/" + row.get("connections"))
                .collect(Collectors.toSet()), "every proxy's CPU is counted (not the backend's, when reached directly)");
        assertTrue(cpu.stream().allMatch(row -> Integer.parseInt(row.get("cpu_ms")) > 0), "each proxy used CPU: " + cpu);
        assertTrue(Files.readString(SMOKE_RESULTS.resolve("proxy.md")).contains("CPU µs per request"), "the CPU table follows");
        List<Map<String, String>> tracingCpu = rows("tracing-cpu");
        assertEquals(expected.get("tracing"), tracingCpu.stream().map(row -> row.get("target") + "/" + row.get("connections"))
                .collect(Collectors.toSet()), "every web task's CPU is counted");
        assertTrue(tracingCpu.stream().allMatch(row -> Integer.parseInt(row.get("cpu_ms")) > 0), "each task used CPU: " + tracingCpu);
        assertTrue(Files.readString(SMOKE_RESULTS.resolve("tracing.md")).contains("CPU µs per request"), "the CPU table follows");
        List<Map<String, String>> calls = rows("discovery-calls");
        assertFalse(calls.isEmpty(), "the Cloud Map API calls were counted");
        assertTrue(calls.stream().allMatch(row -> Integer.parseInt(row.get("DiscoverInstances"))
                + Integer.parseInt(row.get("DiscoverInstancesRevision")) > 0), "cloud-map mode calls the API: " + calls);
    }

    /** A smoke run pairs each app with one variant (the full run starts every app in every variant). */
    @Test
    void theStartupCaseStartsEveryAppAndEveryVariant() throws IOException {
        List<Map<String, String>> rows = rows("startup");
        Set<String> apps = rows.stream().map(row -> row.get("app")).collect(Collectors.toSet());
        Set<String> variants = rows.stream().map(row -> row.get("variant")).collect(Collectors.toSet());
        assertEquals(Set.of("spring-boot", "frontend-sidecar", "service-a", "service-b"), apps);
        assertTrue(variants.containsAll(Set.of("jdk17", "jdk17-image", "jdk17-appcds")), variants.toString());
        assertEquals(Math.max(apps.size(), variants.size()), rows.size(), "each app and each variant once: " + rows);
        assertTrue(rows.stream().anyMatch(row -> !row.get("app").equals("spring-boot") && row.get("variant").endsWith("-appcds")),
                "a service starts from its own AppCDS archive: " + rows);
        assertTrue(rows.stream().allMatch(row -> Integer.parseInt(row.get("ready_ms")) > 0
                && Integer.parseInt(row.get("rss_mib")) > 0), rows.toString());
    }

    @Test
    void theWebTaskRunsAtTheTemplatesTaskSizesWithoutAnOomKill() throws IOException {
        List<Map<String, String>> limits = rows("limits");
        assertEquals(Set.of("256-512", "512-1024"), limits.stream().map(row -> row.get("size")).collect(Collectors.toSet()),
                "the smallest and the default size of web.yaml");
        for (Map<String, String> row : limits) {
            assertEquals("0", row.get("oom_kills"), "no OOM kill: " + row);
            assertEquals("yes", row.get("alive"), "both JVMs alive: " + row);
            assertTrue(Integer.parseInt(row.get("peak_rss_mib")) > 50, "the JVMs' memory is measured: " + row);
        }
        List<Map<String, String>> warmup = rows("warmup");
        assertEquals(Set.of("jdk17-appcds"), warmup.stream().map(row -> row.get("variant")).collect(Collectors.toSet()),
                "the smoke run's one variant, trained in the task's cgroup: " + warmup);
        assertTrue(Files.readString(SMOKE_RESULTS.resolve("warmup.md")).contains("| jdk17-appcds | 512-1024 |"), printed);
        // Then a backend's task alone, at one of its template's sizes, loaded with its warm-up's request (its API key).
        List<Map<String, String>> backend = rows("warmup-service-b");
        Set<String> backendSizes = backend.stream().map(row -> row.get("size")).collect(Collectors.toSet());
        assertEquals(1, backendSizes.size(), printed);
        assertTrue(backend.stream().mapToInt(row -> Integer.parseInt(row.get("ok"))).sum() > 0, "service-b answered: " + backend);
        assertTrue(backend.stream().allMatch(row -> row.get("failed").equals("0")), "none refused (its key): " + backend);
        assertTrue(Files.readString(SMOKE_RESULTS.resolve("warmup-service-b.md"))
                .contains("| jdk17 | " + backendSizes.iterator().next() + " |"), printed);
    }

    /**
     * docs/benchmarks.md shows the last full run's tables as bench/run.sh wrote them, not numbers typed by hand: every
     * case's, and every longer run of fewer variants kept beside them (warmup-<run>.md).
     */
    @Test
    void theDocsShowTheCommittedFullRun() throws Exception {
        String docs = Files.readString(LocalTopology.ROOT.resolve("docs/benchmarks.md"));
        Set<String> tables;
        try (var results = Files.list(LocalTopology.ROOT.resolve("bench/results"))) {
            tables = results.map(path -> path.getFileName().toString()).filter(name -> name.endsWith(".md")).collect(Collectors.toSet());
        }
        assertTrue(tables.containsAll(CASES.stream().map(benchCase -> benchCase + ".md").toList()), "every case has its table: " + tables);
        for (String name : tables) {
            String table = Files.readString(LocalTopology.ROOT.resolve("bench/results/" + name));
            assertTrue(table.contains("full run"), table);
            assertTrue(docs.contains(table), "docs/benchmarks.md holds bench/results/" + name + " as written");
        }
    }

    private static List<Map<String, String>> rows(String name) throws IOException {
        List<String> lines = Files.readAllLines(SMOKE_RESULTS.resolve(name + ".tsv"));
        String[] header = lines.get(0).split("\t");
        return lines.stream().skip(1).map(line -> {
            String[] cells = line.split("\t");
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < header.length; i++) {
                row.put(header[i], i < cells.length ? cells[i] : "");
            }
            return row;
        }).toList();
    }
}
