package org.acme.fargate.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./run-local.sh doctor}, and the same checks before a start, on this machine as it is and on this machine
 * with a tool taken away (a PATH of every command here but that one) or replaced by an older one.
 */
class RunLocalDoctorTest {

    @TempDir
    Path bin;

    @Test
    void onThisMachineEveryToolOfEachModeIsThere() throws Exception {
        for (String mode : List.of("", "--tasks ", "--containers ")) {
            String printed = LocalTopology.exec(List.of("bash", "-c", "./run-local.sh " + mode + "doctor"), 60).output();
            assertTrue(printed.contains("What ./run-local.sh " + mode + "needs on this machine:"), printed);
            for (String tool : List.of("java", "curl", "jq", "ps", "haproxy")) {
                assertTrue(printed.contains("  ok       " + tool + " "), tool + " in " + printed);
            }
            assertFalse(printed.contains("MISSING"), "every tool is installed here (ports may be in use): " + printed);
        }
    }

    @Test
    void withoutHaproxyTheDoctorNamesItWithItsInstallCommands() throws Exception {
        LocalTopology.Result doctor = runWithout("haproxy", "./run-local.sh doctor");
        assertEquals(1, doctor.exitCode(), doctor.output());
        assertTrue(doctor.output().contains("MISSING  haproxy"), doctor.output());
        for (String install : List.of("sudo apt-get install haproxy", "sudo dnf install haproxy", "brew install haproxy")) {
            assertTrue(doctor.output().contains(install), install + " in " + doctor.output());
        }
    }

    @Test
    void withoutHaproxyAStartStopsBeforeBuildingOrStartingAnything() throws Exception {
        LocalTopology.Result start = runWithout("haproxy", "./run-local.sh --detach");
        assertEquals(1, start.exitCode(), start.output());
        assertTrue(start.output().contains("MISSING  haproxy"), start.output());
        assertTrue(start.output().contains("(./run-local.sh doctor lists every check)"), start.output());
        assertFalse(start.output().contains("Building"), start.output());
        assertFalse(start.output().contains("ok       "), "a start names only the gaps: " + start.output());
    }

    @Test
    void anOlderJdkIsNamedWithTheVersionNeeded() throws Exception {
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho 'openjdk version \"11.0.21\" 2023-10-17' >&2\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        LocalTopology.Result doctor = runWithout("java", "./run-local.sh doctor");
        assertEquals(1, doctor.exitCode(), doctor.output());
        assertTrue(doctor.output().contains("MISSING  java                 JDK 11 found, 17 or newer needed"), doctor.output());
        assertTrue(doctor.output().contains("sudo apt-get install openjdk-17-jdk"), doctor.output());
    }

    /** Runs command with a PATH of every command of this machine's PATH but {@code tool} (or this test's own one). */
    private LocalTopology.Result runWithout(String tool, String command) throws IOException, InterruptedException {
        for (String dir : System.getenv("PATH").split(":")) {
            Path directory = Path.of(dir);
            if (!Files.isDirectory(directory)) {
                continue;
            }
            try (Stream<Path> commands = Files.list(directory)) {
                for (Path found : commands.toList()) {
                    Path link = bin.resolve(found.getFileName().toString());
                    if (!found.getFileName().toString().equals(tool) && !Files.exists(link, LinkOption.NOFOLLOW_LINKS)
                            && Files.isExecutable(found)) {
                        Files.createSymbolicLink(link, found);
                    }
                }
            }
        }
        return LocalTopology.exec(List.of("env", "PATH=" + bin, "bash", "-c", command), 60);
    }
}
