package org.acme.fargate.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.acme.fargate.taskrunner.Podman;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The README's compose block, run as written (images/compose.sh: Debian's docker-compose on podman's Docker API
 * here): compose.yaml, made from the task definitions (task-runner's {@code compose}; its ComposeFileTest fails when the file is stale), brings up service-b and the web
 * task from the images; a request crosses all three, and service-a is out of reach from this machine.
 */
class ComposeIT {

    private static final Pattern BASH_BLOCK = Pattern.compile("```bash\\n(.*?)```", Pattern.DOTALL);

    @Test
    void theComposeFileBringsUpTheTopologyFromTheImages() throws Exception {
        String why = Podman.whyNotSupported();
        if (why == null && new ProcessBuilder("bash", "-c", "command -v docker-compose").start().waitFor() != 0) {
            why = "docker-compose is missing (apt-get install docker-compose)";
        }
        if (why != null) {
            assertFalse("true".equals(System.getenv("CI")), "CI must install podman and docker-compose: " + why);
            System.err.println("\n*** SKIPPING the compose test: " + why + " ***\n");
        }
        Assumptions.assumeTrue(why == null, why);
        LocalTopology.run(List.of("./run-local.sh", "stop")); // the page's port

        String block = composeBlock();
        try {
            String printed = LocalTopology.run(List.of("bash", "-euo", "pipefail", "-c", block));
            List<String> hops = printed.lines().filter(line -> line.startsWith("[{\"container\"")).toList();
            assertEquals(1, hops.size(), printed);
            assertTrue(hops.get(0).contains("\"container\":\"frontend-sidecar\"") && hops.get(0).contains("\"container\":\"service-a\"")
                    && hops.get(0).contains("\"container\":\"service-b\""), "three hops: " + hops.get(0));
            assertTrue(hops.get(0).contains("\"discovery\":\"service-connect\""), "the templates' service-connect mode: " + hops.get(0));
            assertTrue(printed.contains("service-a from this machine: refused"), printed);
        } finally {
            LocalTopology.exec(List.of("images/compose.sh", "down"), 120);
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", 8000), 500);
            throw new AssertionError("the block ends with down, yet port 8000 answers");
        } catch (java.io.IOException expected) {
            // nothing listens any more
        }
    }

    private static String composeBlock() throws Exception {
        Matcher matcher = BASH_BLOCK.matcher(Files.readString(LocalTopology.ROOT.resolve("README.md")));
        while (matcher.find()) {
            if (matcher.group(1).contains("images/compose.sh up")) {
                return matcher.group(1);
            }
        }
        throw new AssertionError("README.md has no bash block with images/compose.sh up");
    }
}
