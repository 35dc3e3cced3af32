package org.acme.fargate.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/testing.md stays true as tests come and go: every test class it names exists, and every test class of the
 * project is in its tables, so that a reader learns there what each one proves.
 */
class TestingGuideTest {

    private static final Path GUIDE = LocalTopology.ROOT.resolve("docs/testing.md");
    private static final Pattern CLASS_NAME = Pattern.compile("`([A-Z][A-Za-z]+(?:Test|IT))(?:[.#][A-Za-z]+)?`|-Dit\\.test=([A-Z][A-Za-z]+IT)"
            + "|-Dtest=([A-Z][A-Za-z]+Test)");

    @Test
    void everyClassItNamesExistsAndEveryTestClassIsInIt() throws IOException {
        Set<String> named = new TreeSet<>();
        Matcher name = CLASS_NAME.matcher(Files.readString(GUIDE));
        while (name.find()) {
            named.add(Stream.of(name.group(1), name.group(2), name.group(3)).filter(group -> group != null).findFirst().orElseThrow());
        }
        Set<String> classes = testClasses();
        Set<String> unknown = new TreeSet<>(named);
        unknown.removeAll(classes);
        assertEquals(Set.of(), unknown, "docs/testing.md names test classes that do not exist");
        Set<String> missing = new TreeSet<>(classes);
        missing.removeAll(named);
        assertEquals(Set.of(), missing, "test classes docs/testing.md does not say anything about");
        assertTrue(classes.size() > 40, classes.toString());
    }

    /** Every *Test and *IT class under a module's src/test/java (bench/ has none). */
    private static Set<String> testClasses() throws IOException {
        try (Stream<Path> files = Files.walk(LocalTopology.ROOT, 12)) {
            List<Path> sources = files.filter(path -> path.toString().contains("/src/test/java/"))
                    .filter(path -> !path.toString().contains("/target/"))
                    .filter(path -> path.getFileName().toString().matches("[A-Z][A-Za-z]+(Test|IT)\\.java")).toList();
            return sources.stream().map(path -> path.getFileName().toString().replace(".java", ""))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
