package org.acme.fargate.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The workshop, run as a learner would follow it: every lab of {@code workshop/README.md}, in the index's order,
 * each page's blocks in one shell ({@link MarkdownScript}), its hooks asserting what the learner should see, from
 * nothing running, leaving nothing running. Each lab runs on a network of its own ({@code local/own-network.sh}:
 * the lab's own ports, {@code .local} and namespaces, as on a machine of its own), so that the workshop runs beside
 * the classes on this machine's ports, and whatever a lab leaves running fails it. The On AWS blocks are checked
 * without AWS. With {@code -Dworkshop.record=true} each lab's measured duration is written to its page and to the
 * index.
 */
@Execution(value = ExecutionMode.CONCURRENT, reason = "each lab on local/own-network.sh")
class WorkshopIT {

    private static final Path WORKSHOP = LocalTopology.ROOT.resolve("workshop");
    private static final Pattern LAB_LINK = Pattern.compile("\\]\\((\\d\\d-[a-z0-9-]+)/README\\.md\\)");
    private static final Map<String, Long> DURATIONS = new LinkedHashMap<>();

    @BeforeAll
    static void asRoot() {
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root) {
            assertFalse("true".equals(System.getenv("CI")), "CI runs the workshop as root");
            System.err.println("\n*** SKIPPING the workshop: its labs use network namespaces (run as root) ***\n");
        }
        Assumptions.assumeTrue(root, "the labs need root");
    }

    static List<String> labs() throws Exception {
        List<String> labs = new ArrayList<>();
        Matcher link = LAB_LINK.matcher(Files.readString(WORKSHOP.resolve("README.md")));
        // -Dworkshop.labs=04,09 runs only those (while writing a lab); every lab by default.
        List<String> only = List.of(System.getProperty("workshop.labs", "").split(","));
        while (link.find()) {
            String lab = link.group(1);
            if (!labs.contains(lab) && (only.equals(List.of("")) || only.contains(lab.substring(0, 2)))) {
                labs.add(lab);
            }
        }
        return labs;
    }

    @TestFactory
    Stream<DynamicTest> everyLabRunsAsWritten() throws Exception {
        List<String> labs = labs();
        assertFalse(labs.isEmpty(), "workshop/README.md links its labs");
        return labs.stream().map(lab -> DynamicTest.dynamicTest(lab, () -> {
            Path page = WORKSHOP.resolve(lab).resolve("README.md");
            List<MarkdownScript.Block> run = MarkdownScript.blocks(page).stream().filter(MarkdownScript.Block::tested).toList();
            assertTrue(run.get(run.size() - 1).cleanup(), lab + " ends with the block that undoes it (```bash cleanup)");
            MarkdownScript.Result result = MarkdownScript.run(page, LocalTopology.ROOT, List.of(LocalTopology.OWN_NETWORK));
            System.out.println(result.output());
            assertFalse(result.output().contains(LocalTopology.OWN_NETWORK_LEFTOVERS), lab + " leaves nothing running:\n" + result.output());
            assertTrue(result.passed(), lab + " as written:\n" + result.output());
            DURATIONS.put(lab, result.millis());
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyOnAwsBlockNamesWhatExists() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        List<Path> pages = new ArrayList<>(List.of(WORKSHOP.resolve("README.md"))); // its On AWS clean-up
        for (String lab : labs()) {
            pages.add(WORKSHOP.resolve(lab).resolve("README.md"));
        }
        for (Path page : pages) {
            for (MarkdownScript.Block block : MarkdownScript.blocks(page)) {
                if (!block.tested()) {
                    tests.add(DynamicTest.dynamicTest(WORKSHOP.relativize(page) + ":" + block.line(), () -> {
                        assertFalse(block.options().getOrDefault("reason", "").isBlank(), "a block not run says why");
                        assertEquals(List.of(), MarkdownScript.checkWithoutAws(block, LocalTopology.ROOT));
                    }));
                }
            }
        }
        return tests.stream();
    }

    /** Most of the workshop runs here: at most a quarter of its blocks may need AWS. */
    @TestFactory
    Stream<DynamicTest> atMostAQuarterOfTheBlocksNeedAws() throws Exception {
        int all = 0;
        int untested = 0;
        for (String lab : labs()) {
            for (MarkdownScript.Block block : MarkdownScript.blocks(WORKSHOP.resolve(lab).resolve("README.md"))) {
                all++;
                untested += block.tested() ? 0 : 1;
            }
        }
        int total = all;
        int notRun = untested;
        return Stream.of(DynamicTest.dynamicTest(notRun + " of " + total + " blocks need AWS",
                () -> assertTrue(notRun * 4 <= total, notRun + " of " + total)));
    }

    @AfterAll
    static void recordDurations() throws Exception {
        if (!Boolean.getBoolean("workshop.record") || DURATIONS.isEmpty()) {
            return;
        }
        for (var lab : DURATIONS.entrySet()) {
            replaceBetween(WORKSHOP.resolve(lab.getKey()).resolve("README.md"), "duration",
                    "*Measured: " + minutes(lab.getValue()) + " when the tests last ran it.*");
        }
        StringBuilder table = new StringBuilder("| lab | measured |\n| --- | --- |\n");
        long total = 0;
        for (var lab : DURATIONS.entrySet()) {
            table.append("| ").append(lab.getKey()).append(" | ").append(minutes(lab.getValue())).append(" |\n");
            total += lab.getValue();
        }
        table.append("| all | ").append(minutes(total)).append(" |");
        replaceBetween(WORKSHOP.resolve("README.md"), "durations", table.toString());
    }

    private static String minutes(long millis) {
        long seconds = Math.round(millis / 1000.0);
        return seconds < 60 ? seconds + " s" : (seconds / 60) + " min " + (seconds % 60) + " s";
    }

    private static void replaceBetween(Path file, String marker, String content) throws Exception {
        String text = Files.readString(file);
        String start = "<!-- " + marker + " -->";
        String end = "<!-- /" + marker + " -->";
        int from = text.indexOf(start);
        int to = text.indexOf(end);
        if (from < 0 || to < from) {
            throw new IllegalStateException(file + " has no " + start + " … " + end);
        }
        Files.writeString(file, text.substring(0, from + start.length()) + "\n" + content + "\n" + text.substring(to));
    }
}
