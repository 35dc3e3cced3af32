package org.acme.fargate.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * cfn-lint, AWS's CloudFormation linter, on every template as {@code infra/.cfnlintrc} configures it (the regions the
 * docs deploy to, informational rules included, each ignored rule written there with its reason), beside the CDK
 * validation of {@link TemplateValidationTest}: it knows the resource schemas of each region and CloudFormation's own
 * template rules, which the CDK plugin does not all apply. It is a Python program the machine ships (cfn-lint 1.51);
 * a machine without it fails here, by name, rather than skipping (.ci/run checks for it too).
 */
class CfnLintTest {

    @TempDir
    Path broken;

    @BeforeAll
    static void cfnLintIsInstalled() throws Exception {
        Run version = cfnLint(List.of("--version"));
        assertEquals(0, version.exitCode(), "cfn-lint must be installed (pip install cfn-lint==1.51.0): " + version.output());
        assertTrue(version.output().startsWith("cfn-lint 1."), version.output());
    }

    @Test
    void everyTemplatePasses() throws Exception {
        Run lint = cfnLint(List.of());
        assertEquals(0, lint.exitCode(), "cfn-lint on infra/templates:\n" + lint.output());
    }

    // --- Broken variants: mistakes the other checks let through ----------------------------------------

    @Test
    void aConsoleLabelThatYamlSplitsAtItsCommaIsCaught() throws Exception {
        // A flow mapping ends a plain scalar at ", ": the label becomes "Port" and a key nobody reads (E4001).
        assertCaught("backend-service", "{ default: \"Port, health and callers\" }", "{ default: Port, health and callers }", "E4001");
    }

    @Test
    void aLogGroupDeletedWithItsStackIsCaught() throws Exception {
        assertCaught("web", "    DeletionPolicy: Retain\n    UpdateReplacePolicy: Retain\n", "", "I3011");
    }

    @Test
    void aPropertyUnknownInARegionsSchemaIsCaught() throws Exception {
        assertCaught("platform", "      Type: application\n", "      Type: application\n      Tier: public\n", "E3002");
    }

    private void assertCaught(String template, String original, String replacement, String rule) throws Exception {
        String text = Files.readString(Path.of("templates", template + ".yaml"));
        assertTrue(text.contains(original), "the variant applies to " + template + ": " + original);
        Path file = broken.resolve(template + ".yaml");
        Files.writeString(file, text.replaceFirst(java.util.regex.Pattern.quote(original), java.util.regex.Matcher.quoteReplacement(replacement)));
        Run lint = cfnLint(List.of("--", file.toString()));
        assertTrue(lint.exitCode() != 0 && lint.output().contains(rule), rule + " expected:\n" + lint.output());
    }

    private record Run(int exitCode, String output) {
    }

    /** cfn-lint in infra/, where it reads .cfnlintrc. */
    private static Run cfnLint(List<String> arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("cfn-lint"));
        command.addAll(arguments);
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException notInstalled) {
            return new Run(127, notInstalled.getMessage());
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "cfn-lint ended");
        return new Run(process.exitValue(), output);
    }
}
