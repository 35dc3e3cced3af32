package org.acme.fargate.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.acme.fargate.taskrunner.Podman;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The README's compose block, run as written, the Docker way: the images built with {@code images/build-images.sh
 * --docker} by the real Docker CLI, whose engine here is podman's Docker-compatible API (no Docker engine runs on
 * this machine), on the local base image standing in for the one that deploys (no registry is reachable here); then
 * {@code images/compose.sh} (Debian's docker-compose on podman's Docker API here): compose.yaml, made from the task
 * definitions (task-runner's {@code compose}; its ComposeFileTest fails when the file is stale), brings up service-b
 * and the web task from those images; a request crosses all three, and service-a is out of reach from this machine.
 */
class ComposeIT {

    private static final Pattern BASH_BLOCK = Pattern.compile("```bash\\n(.*?)```", Pattern.DOTALL);

    @Test
    void theComposeFileBringsUpTheTopologyFromTheImages() throws Exception {
        String why = Podman.whyNotSupported();
        if (why == null && new ProcessBuilder("bash", "-c", "command -v docker-compose").start().waitFor() != 0) {
            why = "docker-compose is missing (apt-get install docker-compose)";
        }
        if (why == null && new ProcessBuilder("bash", "-c", "command -v docker").start().waitFor() != 0) {
            why = "the Docker CLI is missing";
        }
        if (why != null) {
            assertFalse("true".equals(System.getenv("CI")), "CI must install podman and docker-compose: " + why);
            System.err.println("\n*** SKIPPING the compose test: " + why + " ***\n");
        }
        Assumptions.assumeTrue(why == null, why);
        LocalTopology.run(List.of("./run-local.sh", "stop")); // the page's port

        String block = composeBlock();
        assertTrue(block.startsWith("images/build-images.sh --docker"), "the README builds the Docker way: " + block);
        LocalTopology.run(List.of("images/build-base-image.sh")); // the stand-in base, into podman's storage
        Path dockerApiSocket = Files.createTempDirectory("docker-api").resolve("podman.sock");
        Process dockerApi = new ProcessBuilder("podman", "system", "service", "--time=0", "unix://" + dockerApiSocket)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            LocalTopology.run(List.of("bash", "-c", "for i in $(seq 1 50); do curl -fs --unix-socket " + dockerApiSocket
                    + " -o /dev/null http://d/_ping && exit 0; sleep 0.1; done; exit 1"));
            String printed = LocalTopology.run(List.of("bash", "-euo", "pipefail", "-c",
                    "export DOCKER_HOST=unix://" + dockerApiSocket + " QUARKUS_JIB_BASE_JVM_IMAGE=docker://localhost/fnr/jre17-base:bookworm"
                            // The AppCDS archive is made in the base image; Quarkus names it without Jib's docker:// prefix.
                            + " QUARKUS_PACKAGE_JAR_APPCDS_BUILDER_IMAGE=localhost/fnr/jre17-base:bookworm\n"
                            + block));
            assertTrue(printed.contains("localhost/fnr/service-a:local"), "the Docker CLI lists what Jib built: " + printed);
            List<String> hops = printed.lines().filter(line -> line.startsWith("[{\"container\"")).toList();
            assertEquals(1, hops.size(), printed);
            assertTrue(hops.get(0).contains("\"container\":\"frontend-sidecar\"") && hops.get(0).contains("\"container\":\"service-a\"")
                    && hops.get(0).contains("\"container\":\"service-b\""), "three hops: " + hops.get(0));
            assertTrue(hops.get(0).contains("\"discovery\":\"service-connect\""), "the templates' service-connect mode: " + hops.get(0));
            assertTrue(printed.contains("service-a from this machine: refused"), printed);
        } finally {
            LocalTopology.exec(List.of("images/compose.sh", "down"), 120);
            dockerApi.destroy();
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
