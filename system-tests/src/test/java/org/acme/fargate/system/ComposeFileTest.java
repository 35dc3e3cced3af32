package org.acme.fargate.system;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** compose.yaml is what the templates say today: regenerate it with -Dcompose.write=true after changing them. */
class ComposeFileTest {

    @Test
    void composeYamlIsGeneratedFromTheCurrentTemplates() throws Exception {
        Path file = LocalTopology.ROOT.resolve(ComposeFile.PATH);
        String expected = ComposeFile.render();
        if (Boolean.getBoolean("compose.write")) {
            Files.writeString(file, expected);
        }
        assertEquals(expected, Files.exists(file) ? Files.readString(file) : "",
                "compose.yaml is stale: ./mvnw -pl system-tests test -Dtest=ComposeFileTest -Dcompose.write=true");
    }
}
