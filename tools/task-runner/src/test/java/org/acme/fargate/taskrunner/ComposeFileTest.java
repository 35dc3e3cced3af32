package org.acme.fargate.taskrunner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** compose.yaml is what the templates say today; its header says how to make it again. */
class ComposeFileTest {

    private static final Path ROOT = Path.of("..", "..").toAbsolutePath().normalize();

    @Test
    void composeYamlIsGeneratedFromTheCurrentTemplates() throws Exception {
        Path file = ROOT.resolve("compose.yaml");
        assertEquals(ComposeFile.render(ROOT.resolve("infra/stacks")), Files.exists(file) ? Files.readString(file) : "",
                "compose.yaml is stale: ./mvnw -q -pl tools/task-runner package && java -jar tools/task-runner/target/task-runner.jar compose > compose.yaml");
    }
}
