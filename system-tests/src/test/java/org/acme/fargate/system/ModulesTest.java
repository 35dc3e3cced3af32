package org.acme.fargate.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * local/lib/modules.sh: what run-local.sh rebuilds and what images/build-images.sh rebuilds is derived from the poms,
 * so a change in any module a service builds with (ecs-task, tracing, the root pom) makes it stale. Run on a copy of
 * the project's poms with a source file each, so that no file of the checkout is touched.
 */
class ModulesTest {

    @TempDir
    Path copy;

    @Test
    void eachServiceBuildsWithTheModulesItsPomsName() throws Exception {
        List<String> serviceA = closure("service-a");
        assertTrue(serviceA.containsAll(List.of("service-a", "ecs-task", "path-trace", "tracing", "problem-details")), serviceA.toString());
        List<String> images = closure("service-b service-a frontend-sidecar");
        assertTrue(images.containsAll(List.of("ecs-task", "tracing", "path-trace", "problem-details")), images.toString());
        assertEquals(images.stream().distinct().toList(), images, "each module once");
    }

    @Test
    void aChangeInAModuleItBuildsWithOrInTheRootPomMakesAJarStale() throws Exception {
        Instant built = Instant.parse("2026-01-01T12:00:00Z");
        try (Stream<Path> modules = Files.walk(LocalTopology.ROOT, 2)) {
            for (Path module : modules.filter(dir -> !dir.equals(LocalTopology.ROOT) && Files.exists(dir.resolve("pom.xml"))
                    && !dir.toString().contains("/target")).toList()) {
                Path pom = Files.copy(module.resolve("pom.xml"),
                        Files.createDirectories(copy.resolve(LocalTopology.ROOT.relativize(module))).resolve("pom.xml"));
                Path source = Files.writeString(Files.createDirectories(pom.getParent().resolve("src")).resolve("Source.java"), "");
                Files.setLastModifiedTime(pom, FileTime.from(built.minusSeconds(60)));
                Files.setLastModifiedTime(source, FileTime.from(built.minusSeconds(60)));
                Files.setLastModifiedTime(source.getParent(), FileTime.from(built.minusSeconds(60)));
            }
        }
        Files.copy(LocalTopology.ROOT.resolve("pom.xml"), copy.resolve("pom.xml"), StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(copy.resolve("pom.xml"), FileTime.from(built.minusSeconds(60)));
        Path jar = Files.writeString(copy.resolve("service-a.jar"), "");
        Files.setLastModifiedTime(jar, FileTime.from(built));

        assertEquals("fresh", staleness("service-a.jar service-a"));
        for (Path changed : List.of(copy.resolve("libs/ecs-task/src/Source.java"), copy.resolve("libs/tracing/pom.xml"), copy.resolve("pom.xml"))) {
            Files.setLastModifiedTime(changed, FileTime.from(built.plusSeconds(60)));
            assertEquals("stale", staleness("service-a.jar service-a"), copy.relativize(changed) + " changed");
            Files.setLastModifiedTime(changed, FileTime.from(built.minusSeconds(60)));
        }
        Files.setLastModifiedTime(copy.resolve("services/service-b/src/Source.java"), FileTime.from(built.plusSeconds(60)));
        assertEquals("fresh", staleness("service-a.jar service-a"), "service-a does not build with service-b");
        assertEquals("stale", staleness("missing.jar service-a"), "a jar never built");
    }

    private List<String> closure(String modules) throws Exception {
        return sourced(LocalTopology.ROOT, "module_closure " + modules).lines().toList();
    }

    private String staleness(String arguments) throws Exception {
        String[] words = arguments.split(" ", 2);
        return sourced(copy, "if stale " + copy.resolve(words[0]) + " " + words[1] + "; then echo stale; else echo fresh; fi").trim();
    }

    private static String sourced(Path root, String command) throws Exception {
        return LocalTopology.run(List.of("bash", "-euo", "pipefail", "-c", "ROOT=" + root + "; . "
                + LocalTopology.ROOT.resolve("local/lib/modules.sh") + "; " + command));
    }
}
