package org.acme.fargate.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The root trap: --tasks and --containers run as root (sudo), the default mode does not, and a user alternates them.
 * A run through sudo leaves .local to the user who ran sudo; a plain run that finds another user's state says the
 * command that fixes it; a root topology is stopped with sudo, and a plain run says so. Run on a copy of
 * run-local.sh and local/ (a plain user, "nobody" here, could not enter this checkout), as root, which plays both.
 */
class RunLocalAfterRootTest {

    private static final String NOBODY = "65534";

    @TempDir
    Path parent;

    private Path copy;

    @BeforeEach
    void aCopyANonRootUserCanRun() throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root) {
            assertFalse("true".equals(System.getenv("CI")), "CI runs the tests as root");
            System.err.println("\n*** SKIPPING the root-trap test: it plays root and a plain user (run as root) ***\n");
        }
        Assumptions.assumeTrue(root, "plays root and a plain user");
        Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxr-xr-x"));
        copy = parent.resolve("checkout");
        LocalTopology.run(List.of("mkdir", copy.toString()));
        LocalTopology.run(List.of("cp", "-r", LocalTopology.ROOT.resolve("run-local.sh").toString(),
                LocalTopology.ROOT.resolve("local").toString(), copy.toString()));
        LocalTopology.run(List.of("chmod", "-R", "a+rX", copy.toString()));
        LocalTopology.run(List.of("chmod", "a+w", copy.toString())); // the user's own checkout: theirs to write
    }

    @Test
    void aRunThroughSudoLeavesItsStateToTheUserWhoRanSudo() throws Exception {
        LocalTopology.Result asRoot = run(List.of("env", "SUDO_UID=" + NOBODY, "SUDO_GID=" + NOBODY), "status");
        assertEquals(0, asRoot.exitCode(), asRoot.output());
        assertEquals(List.of(NOBODY), owners(copy.resolve(".local")), "everything under .local is the sudo user's");
        LocalTopology.Result plain = run(asNobody(), "status");
        assertEquals(0, plain.exitCode(), "the next plain run uses it: " + plain.output());
    }

    @Test
    void aPlainRunAfterARootRunSaysWhatToRun() throws Exception {
        LocalTopology.Result asRoot = run(List.of("env", "-u", "SUDO_UID", "-u", "SUDO_GID"), "status");
        assertEquals(0, asRoot.exitCode(), asRoot.output());
        LocalTopology.Result plain = run(asNobody(), "--detach");
        assertEquals(1, plain.exitCode(), plain.output());
        assertTrue(plain.output().contains("belongs to root, not to you (a run as root left it): sudo chown -R nobody "
                + copy.resolve(".local")), plain.output());
    }

    @Test
    void aRootTopologyIsStoppedWithSudoAndAPlainRunSaysSo() throws Exception {
        Files.createDirectories(copy.resolve(".local"));
        Files.writeString(copy.resolve(".local/topology"), "MODE=tasks\nDISCOVERY=dns\nTRACES=0\n");
        LocalTopology.run(List.of("chown", "-R", NOBODY + ":" + NOBODY, copy.resolve(".local").toString()));
        for (String command : List.of("stop", "status", "scale 3")) {
            LocalTopology.Result plain = run(asNobody(), command);
            assertEquals(1, plain.exitCode(), plain.output());
            assertTrue(plain.output().contains("the running topology is --tasks, which runs as root: sudo ./run-local.sh "
                    + command), plain.output());
        }
    }

    private static List<String> asNobody() {
        return List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "--reset-env");
    }

    private LocalTopology.Result run(List<String> as, String arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(as);
        command.addAll(List.of("bash", "-c", "cd " + copy + " && ./run-local.sh " + arguments));
        return LocalTopology.exec(command, 60);
    }

    private static List<String> owners(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            List<String> owners = new ArrayList<>();
            for (Path path : paths.toList()) {
                String owner = String.valueOf(Files.getAttribute(path, "unix:uid"));
                if (!owners.contains(owner)) {
                    owners.add(owner);
                }
            }
            return owners;
        }
    }
}
