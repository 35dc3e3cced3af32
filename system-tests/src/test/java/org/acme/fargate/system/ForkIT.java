package org.acme.fargate.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * A fork, end to end. In a clone of this repository, docs/fork.md's commands as written: {@code ./rename.sh} gives it
 * another group, package and project name and renames service-b; {@code ./new-service.sh} adds inventory, called by
 * service-a; the topology runs as processes and as tasks (in a network of its own, beside the other tests) and a
 * request's path shows the new hop, served by tasks registered in cloudmap-local. Then the clone builds offline and
 * the tests of what the commands changed pass (the new module's, the renamed service's, the two commands' own, and the
 * infra checks on every stack of the clone, which fail when a call lacks its stack,
 * its security group's admission or its permission: ArchitectureRulesTest's broken variants); the new service's
 * image builds and its task runs from its task definition until its health check passes; {@code deploy.sh --dry-run}
 * deploys its stack before its caller's; and no file of the clone still says an old name.
 *
 * <p>Beside the classes on this machine's ports (docs/testing.md): its topologies run on a network of their own, and
 * its image is the only one it builds (the fork's other images would take the tags this suite's pods run).
 */
@Execution(value = ExecutionMode.CONCURRENT, reason = "on local/own-network.sh, in a clone of its own")
class ForkIT {

    private static final Path FORK = LocalTopology.ROOT.resolve("system-tests/target/fork");
    private static final Path GUIDE = LocalTopology.ROOT.resolve("docs/fork.md");
    /** The old names, in every form rename replaces; none may be left in the fork. */
    private static final Pattern OLD_NAMES = Pattern.compile("org\\.acme|org/acme|fargate-networking-reference|Fargate Networking Reference"
            + "|(?<![A-Za-z0-9])(service-b|service_b|SERVICE_B|serviceb)(?![A-Za-z])|(?<![A-Za-z0-9])serviceB(?![a-z])|(?<![A-Z])ServiceB(?![a-z])");
    /**
     * Where an old name may stay, and why: this test, which names them to look for them. A fork's history is not
     * searched (git grep reads the files as they are), nor files outside git (build output).
     */
    private static final List<String> ALLOWED = List.of("system-tests/src/test/java/**/ForkIT.java");

    @Test
    void theGuideMakesAForkThatBuildsTestsRunsAndDeploysUnderItsOwnNames() throws Exception {
        assumeFalse(Files.exists(LocalTopology.ROOT.resolve("services/inventory")),
                "this repository has followed docs/fork.md already (a fork): its commands have nothing left to do");
        LocalTopology.run(List.of("rm", "-rf", FORK.toString()));
        LocalTopology.run(List.of("git", "clone", "-q", LocalTopology.ROOT.toString(), FORK.toString()));
        String names = MarkdownScript.blockContaining(GUIDE, "./rename.sh");
        String service = MarkdownScript.blockContaining(GUIDE, "./new-service.sh");
        String tasks = MarkdownScript.blockContaining(GUIDE, "./run-local.sh --tasks");
        Matcher renamed = Pattern.compile("--group (\\S+) --project (\\S+) --service service-b=(\\S+)").matcher(names);
        assertTrue(renamed.find(), names);
        String group = renamed.group(1);
        String pricing = renamed.group(3);

        LocalTopology.Result run = inFork(LocalTopology.OWN_NETWORK + " bash -euo pipefail -c \"$BLOCK\"",
                String.join("\n", names, service, tasks), 1200);
        assertEquals(0, run.exitCode(), run.output());
        assertFalse(run.output().contains(LocalTopology.OWN_NETWORK_LEFTOVERS), run.output());
        List<String> paths = run.output().lines().filter(line -> line.startsWith("[{")).toList();
        assertEquals(2, paths.size(), "a path as processes, then as tasks: " + run.output());
        for (String path : paths) {
            for (String hop : List.of("\"container\":\"frontend-sidecar\"", "\"container\":\"service-a\"", "\"container\":\"inventory\"")) {
                assertTrue(path.contains(hop), hop + " in the path: " + path);
            }
            assertTrue(path.matches(".*\"taskId\":\"inventory-[12]\".*"), "served by a task of inventory: " + path);
        }
        // --tasks gives backend k (from 0, in infra/stacks' order: the renamed service, then inventory) 198.18.(2+k).0/24.
        assertTrue(paths.get(1).matches(".*\"container\":\"inventory\",\"taskId\":\"inventory-[12]\",[^}]*\"privateIp\":\"198\\.18\\.3\\.[0-9]+\".*"),
                "a task in inventory's own subnet: " + paths.get(1));

        String mavenGroup = read("pom.xml").replaceFirst("(?s).*?</modelVersion>\\s*<groupId>([^<]+)</groupId>.*", "$1");
        assertEquals(group, mavenGroup, "the fork's group");
        assertTrue(Files.isDirectory(FORK.resolve("services/" + pricing + "/src/main/java/" + group.replace('.', '/'))), "its package's folder");

        // The modules the commands changed, and what they build with: not the whole fork (its other modules are this
        // repository's, tested by this suite), so that this class stays within a few minutes of CI. The runs above
        // packaged the fork offline already; this compiles and tests.
        LocalTopology.Result tests = inFork("./mvnw -B -o -q test -pl services/inventory,services/" + pricing
                + ",tools/task-runner,infra -am -Dsurefire.failIfNoSpecifiedTests=false -Dtest='InventoryResourceTest,"
                + "OpenApiContractTest,PricingResourceTest,RenameTest,NewServiceTest,ArchitectureRulesTest,TemplateValidationTest,"
                + "ServiceConfigConsistencyTest,CfnLintTest'", "", 900);
        assertEquals(0, tests.exitCode(), "the fork builds offline and the tests of what changed pass: " + tests.output());
        for (String report : List.of("services/inventory", "services/" + pricing, "infra")) {
            assertTrue(Files.list(FORK.resolve(report).resolve("target/surefire-reports")).findAny().isPresent(), report + " ran its tests");
        }

        LocalTopology.Result image = inFork("images/build-images.sh inventory && { timeout 240 java -jar tools/task-runner/target/task-runner.jar"
                + " run infra/templates/backend-service.yaml -p ServiceName=inventory --pod fork-inventory-1 > \"$FORK/task.log\" 2>&1 &"
                + " task=$!; for i in $(seq 180); do grep -q 'container inventory is HEALTHY' \"$FORK/task.log\" && break; sleep 1; done;"
                + " kill -TERM $task; wait $task; cat \"$FORK/task.log\"; }", "", 600);
        assertTrue(image.output().contains("task fork-inventory-1: container inventory is HEALTHY"), image.output());
        assertTrue(image.output().contains("task fork-inventory-1: STOPPED"), image.output());

        LocalTopology.Result deploy = inFork("infra/deploy.sh --dry-run", "", 120);
        assertEquals(0, deploy.exitCode(), deploy.output());
        String printed = deploy.output();
        assertTrue(printed.contains("--repository-name fnr/inventory") && printed.contains("--repository-name fnr/" + pricing),
                "the images' repositories: " + printed);
        int inventory = printed.indexOf("--stack-name fnr-inventory --template-file " + FORK + "/infra/templates/backend-service.yaml");
        assertTrue(inventory > 0 && inventory < printed.indexOf("--stack-name fnr-web"), "before its caller's stack: " + printed);
        assertTrue(printed.contains("ServiceName=inventory ImageUri=123456789012.dkr.ecr.eu-west-1.amazonaws.com/fnr/inventory:"), printed);

        LocalTopology.Result left = inFork("git grep -n -I -P \"$BLOCK\" -- . " + String.join(" ", ALLOWED.stream()
                .map(path -> "':(exclude,glob)" + path + "'").toList()) + " || true", OLD_NAMES.pattern(), 60);
        assertEquals("", left.output().strip(), "old names left in the fork");
    }

    private static String read(String file) throws Exception {
        return Files.readString(FORK.resolve(file));
    }

    /** A command in the fork's folder, with a git identity for the guide's commits; $BLOCK holds {@code block}. */
    private static LocalTopology.Result inFork(String command, String block, int seconds) throws Exception {
        return LocalTopology.exec(List.of("env", "BLOCK=" + block, "FORK=" + FORK, "GIT_AUTHOR_NAME=ForkIT",
                "GIT_AUTHOR_EMAIL=fork@example.com", "GIT_COMMITTER_NAME=ForkIT", "GIT_COMMITTER_EMAIL=fork@example.com",
                "bash", "-c", "cd \"$FORK\" && " + command), seconds);
    }
}
