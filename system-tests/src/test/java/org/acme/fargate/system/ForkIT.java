package org.acme.fargate.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A fork, end to end: in a clone of this repository, docs/fork.md's commands as written add a backend service
 * ({@code ./new-service.sh inventory --called-by service-a}), run the topology (in a network of its own, beside the
 * other tests) and show the new hop in a request's path; the new module's own tests pass; {@code deploy.sh --dry-run}
 * deploys its stack, from the backend template, before its caller's, and pushes its image. In the first lane (the
 * second is the longer one): its topology runs in a network of its own, so it takes none of this machine's ports.
 */
class ForkIT {

    private static final Path FORK = LocalTopology.ROOT.resolve("system-tests/target/fork");

    @Test
    void theGuidesCommandsAddAServiceThatEveryPartFollows() throws Exception {
        LocalTopology.run(List.of("rm", "-rf", FORK.toString()));
        LocalTopology.run(List.of("git", "clone", "-q", LocalTopology.ROOT.toString(), FORK.toString()));
        String guide = MarkdownScript.blockContaining(LocalTopology.ROOT.resolve("docs/fork.md"), "./new-service.sh");

        LocalTopology.Result run = inFork(LocalTopology.OWN_NETWORK + " bash -euo pipefail -c \"$BLOCK\"", guide, 900);
        assertEquals(0, run.exitCode(), run.output());
        String path = run.output().lines().filter(line -> line.startsWith("[{")).findFirst().orElseThrow(() -> new AssertionError(run.output()));
        for (String hop : List.of("\"container\":\"frontend-sidecar\"", "\"container\":\"service-a\"", "\"container\":\"inventory\"")) {
            assertTrue(path.contains(hop), hop + " in the path: " + path);
        }
        assertTrue(path.contains("\"taskId\":\"inventory-1\"") || path.contains("\"taskId\":\"inventory-2\""), path);
        assertFalse(run.output().contains(LocalTopology.OWN_NETWORK_LEFTOVERS), run.output());

        LocalTopology.Result tests = inFork("./mvnw -B -q -pl services/inventory -am verify -Dtest='InventoryResourceTest,OpenApiContractTest'"
                + " -Dsurefire.failIfNoSpecifiedTests=false", "", 600);
        assertEquals(0, tests.exitCode(), "the new module's own tests: " + tests.output());

        LocalTopology.Result deploy = inFork("infra/deploy.sh --dry-run", "", 120);
        assertEquals(0, deploy.exitCode(), deploy.output());
        String printed = deploy.output();
        assertTrue(printed.contains("--repository-name fnr/inventory"), "its image's repository: " + printed);
        int inventory = printed.indexOf("--stack-name fnr-inventory --template-file " + FORK + "/infra/templates/backend-service.yaml");
        assertTrue(inventory > 0 && inventory < printed.indexOf("--stack-name fnr-web"), "before its caller's stack: " + printed);
        assertTrue(printed.contains("ServiceName=inventory ImageUri=123456789012.dkr.ecr.eu-west-1.amazonaws.com/fnr/inventory:"), printed);
    }

    /** A command in the fork's folder; $BLOCK holds {@code block}. */
    private static LocalTopology.Result inFork(String command, String block, int seconds) throws Exception {
        return LocalTopology.exec(List.of("env", "BLOCK=" + block, "FORK=" + FORK, "bash", "-c", "cd \"$FORK\" && " + command), seconds);
    }
}
