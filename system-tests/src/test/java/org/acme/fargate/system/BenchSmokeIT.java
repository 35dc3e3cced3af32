package org.acme.fargate.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * bench/run.sh in its smoke mode, so that the benchmark never rots: every case runs, no request fails, and the
 * proxy answers at once after each burst. It asserts no timing (the machines are noisy); docs/benchmarks.md
 * holds the measured numbers of a full run.
 */
class BenchSmokeIT {

    @Test
    void everyCaseRunsAndNothingFailsOrHangs() throws Exception {
        boolean installed = new ProcessBuilder("bash", "-c", "command -v wrk && (command -v nginx || test -x /usr/sbin/nginx)")
                .start().waitFor() == 0;
        if (!installed) {
            assertFalse("true".equals(System.getenv("CI")), "CI must install nginx and wrk");
            System.err.println("\n*** SKIPPING bench/run.sh --smoke: apt-get install nginx wrk ***\n");
        }
        Assumptions.assumeTrue(installed, "nginx or wrk is not installed");

        String command = Files.readString(LocalTopology.ROOT.resolve("docs/benchmarks.md")).lines()
                .filter(line -> line.startsWith("bench/run.sh --smoke")).findFirst().orElseThrow();
        String printed = LocalTopology.run(List.of("bash", "-euo", "pipefail", "-c", command));
        List<String[]> rows = Files.readAllLines(LocalTopology.ROOT.resolve(Path.of("bench/.work/results/proxy.tsv")))
                .stream().skip(1).map(line -> line.split("\t")).toList();
        assertEquals(Set.of("direct/16", "direct/64", "nginx/16", "nginx/64", "frontend-sidecar/16", "frontend-sidecar/64"),
                rows.stream().map(row -> row[1] + "/" + row[2]).collect(Collectors.toSet()), printed);
        for (String[] row : rows) {
            String run = String.join(" ", row);
            assertTrue(Double.parseDouble(row[3]) > 0, "requests were served: " + run);
            assertEquals("0", row[6], "no failed request: " + run);
            assertEquals("yes", row[7], "answered at once after the burst: " + run);
        }
        assertTrue(printed.contains("| frontend-sidecar | 64 |"), "the summary table:\n" + printed);
    }

    /** docs/benchmarks.md shows the last full run's table as bench/run.sh wrote it, not numbers typed by hand. */
    @Test
    void theDocsShowTheCommittedFullRun() throws Exception {
        String table = Files.readString(LocalTopology.ROOT.resolve("bench/results/proxy.md"));
        assertTrue(table.contains("full run"), table);
        assertTrue(Files.readString(LocalTopology.ROOT.resolve("docs/benchmarks.md")).contains(table),
                "docs/benchmarks.md holds bench/results/proxy.md as written");
    }
}
