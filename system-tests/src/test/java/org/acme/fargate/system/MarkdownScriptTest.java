package org.acme.fargate.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The page runner holds a page to what it shows: each way a page can be wrong fails the run. */
class MarkdownScriptTest {

    @TempDir
    Path dir;

    private MarkdownScript.Result run(String page, String hook) throws Exception {
        Files.createDirectories(dir.resolve("tests"));
        Files.writeString(dir.resolve("tests/hook-count.sh"), hook);
        Path file = Files.writeString(dir.resolve("lab.md"), page);
        return MarkdownScript.run(file, dir);
    }

    private static final String HOOK = "grep -qx 'count 3' \"$1\"\n";

    @Test
    void aPageThatHoldsPassesAndOneShellCarriesVariablesFromBlockToBlock() throws Exception {
        MarkdownScript.Result result = run("""
                # A lab
                ```bash
                n=3
                ```
                Text between.
                ```bash hook=count timeout=10
                echo "count $n"
                ```
                ```bash expect-error
                ls /no/such/file
                ```
                ```bash test=false reason="needs AWS"
                exit 1
                ```
                """, HOOK);
        assertTrue(result.passed(), result.output());
        assertTrue(result.output().contains("count 3"), result.output());
    }

    @Test
    void aWrongCommandFailsTheRunAtItsBlock() throws Exception {
        MarkdownScript.Result result = run("""
                ```bash
                n=3
                no-such-command --flag
                echo "count $n"
                ```
                """, HOOK);
        assertFalse(result.passed(), result.output());
        assertTrue(result.output().contains("lab.md:1 failed"), result.output());
        assertFalse(result.output().contains("count 3"), "the block stops at the failing command: " + result.output());
    }

    @Test
    void aFailingPipelineInAFunctionFailsTheRunAndSaysWhere() throws Exception {
        MarkdownScript.Result result = run("""
                ```bash
                fails() { echo "about to fail"; return 3; }
                fails | sort
                echo "count 3"
                ```
                """, HOOK);
        assertFalse(result.passed(), result.output());
        assertTrue(result.output().contains("about to fail") && result.output().contains("lab.md:1 failed, exit 3"), result.output());
    }

    @Test
    void aHookThatDoesNotHoldFailsTheRun() throws Exception {
        MarkdownScript.Result result = run("""
                ```bash hook=count
                echo "count 4"
                ```
                """, HOOK);
        assertFalse(result.passed(), result.output());
        assertTrue(result.output().contains("hook count did not hold"), result.output());
    }

    @Test
    void aBlockExpectedToFailThatSucceedsFailsTheRun() throws Exception {
        MarkdownScript.Result result = run("""
                ```bash expect-error
                true
                ```
                """, HOOK);
        assertFalse(result.passed(), result.output());
        assertTrue(result.output().contains("was expected to fail"), result.output());
    }

    @Test
    void aBlockPastItsTimeoutFailsTheRun() throws Exception {
        MarkdownScript.Result result = run("""
                ```bash timeout=1
                sleep 30
                ```
                """, HOOK);
        assertFalse(result.passed(), result.output());
        assertTrue(result.output().contains("did not finish"), result.output());
    }

    @Test
    void fenceOptionsAreRead() throws Exception {
        Files.writeString(dir.resolve("page.md"), "```bash test=false reason=\"needs an AWS account\" timeout=5\nexit\n```\n");
        MarkdownScript.Block block = MarkdownScript.blocks(dir.resolve("page.md")).get(0);
        assertFalse(block.tested());
        assertEquals("needs an AWS account", block.options().get("reason"));
        assertEquals(5, block.timeoutSeconds());
        assertEquals(List.of(), List.copyOf(MarkdownScript.blocks(dir.resolve("page.md")).stream().filter(MarkdownScript.Block::tested).toList()));
    }
}
