package org.acme.fargate.taskrunner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code new-service} on a copy of the files it reads and changes (the root pom, infra/, the README, compose.yaml, the
 * services' poms and service-a's configuration): what it writes where, read back through the same readers the local
 * runs use, and every refusal leaving the copy as it was. ForkIT builds and runs what it makes. The new service is
 * ledger, not the guide's inventory, so that a fork that followed docs/fork.md still passes this test.
 */
class NewServiceTest {

    private static final Path ROOT = Path.of("..", "..").toAbsolutePath().normalize();

    @TempDir
    Path repo;

    @BeforeEach
    void aCopyOfTheRepository() throws IOException {
        for (String file : List.of("pom.xml", "README.md", "compose.yaml", "services/service-a/pom.xml",
                "services/service-a/src/main/resources/application.properties", "services/service-b/pom.xml",
                "services/service-b/src/main/resources/application.properties", "services/frontend-sidecar/pom.xml")) {
            Files.createDirectories(repo.resolve(file).getParent());
            Files.copy(ROOT.resolve(file), repo.resolve(file));
        }
        try (Stream<Path> infra = Files.walk(ROOT.resolve("infra"))) {
            // Relative to the root: a clone may itself sit in a target folder (ForkIT's does).
            for (Path file : infra.filter(Files::isRegularFile).filter(path -> !ROOT.relativize(path).toString().contains("/target/")
                    && !ROOT.relativize(path).toString().contains("/src/")).toList()) {
                Path copy = repo.resolve(ROOT.relativize(file));
                Files.createDirectories(copy.getParent());
                Files.copy(file, copy);
            }
        }
    }

    @Test
    void theServiceItsStackAndItsCallersWiringAreWritten() throws IOException {
        List<String> stacksBefore = Stack.all(repo.resolve("infra/stacks")).stream().map(Stack::name).toList();
        new NewService(repo, "ledger", "service-a").run();

        Path module = repo.resolve("services/ledger");
        assertTrue(Files.readString(module.resolve("pom.xml")).contains("<artifactId>ledger</artifactId>"));
        assertTrue(Files.readString(module.resolve("src/main/java/org/acme/fargate/ledger/LedgerResource.java"))
                .contains("public class LedgerResource"));
        assertTrue(Files.exists(module.resolve("openapi/openapi.json")) && Files.exists(module.resolve("README.md")));
        assertTrue(Files.readString(repo.resolve("pom.xml")).contains("<module>services/ledger</module>"));

        List<Stack> stacks = Stack.all(repo.resolve("infra/stacks"));
        List<String> expected = new java.util.ArrayList<>(stacksBefore);
        expected.add(expected.indexOf("web"), "ledger");
        assertEquals(expected, stacks.stream().map(Stack::name).toList(), "deployed before its caller, deleted after it");
        Stack ledger = stacks.get(expected.indexOf("ledger"));
        assertEquals(new Stack("ledger", "backend-service", Map.of("ServiceName", "ledger")), ledger);
        Path templates = repo.resolve("infra/templates");
        assertEquals(List.of(new SecurityGroups.Ingress("ledger from its callers", "tcp", 8080, 8080, "fnr-web", null)),
                SecurityGroups.of(templates.resolve("backend-service.yaml"), ledger.parameters(),
                        templates.resolve("platform.yaml")).get(0).ingress(), "its own group admits the web tasks only");

        TaskDefinitions.Container caller = TaskDefinitions.read(templates.resolve("web.yaml"), Map.of(), TaskDefinitions.LOCAL_EXPORTS)
                .container("service-a");
        Map<String, String> serviceA = caller.environment();
        TaskDefinitions.Container ledgerContainer = TaskDefinitions.read(templates.resolve("backend-service.yaml"), ledger.parameters(),
                TaskDefinitions.LOCAL_EXPORTS).container("ledger");
        // A fork's service-a may call more backends than these two: each has its own key.
        assertEquals(LocalSecrets.arn("fnr/ledger/api-key"), caller.secrets().get("LEDGER_API_KEY"), "from the new stack's secret");
        assertEquals(LocalSecrets.arn("fnr/service-b/api-key"), caller.secrets().get("SERVICE_B_API_KEY"), "service-b's is kept");
        assertEquals(Map.of("API_KEY", LocalSecrets.arn("fnr/ledger/api-key")), ledgerContainer.secrets());
        assertEquals("dns", serviceA.get("LEDGER_DISCOVERY"));
        assertEquals("ledger.shop.internal", serviceA.get("LEDGER_DNS_NAME"));
        assertEquals("ledger:8080", serviceA.get("LEDGER_ADDRESSES"));
        assertTrue(Files.readString(templates.resolve("web.yaml")).contains(", ledger]"),
                "service-a may discover it in Cloud Map");
        String properties = Files.readString(repo.resolve("services/service-a/src/main/resources/application.properties"));
        assertTrue(properties.contains("quarkus.rest-client.ledger.headers.X-Api-Key=${ledger.api-key}")
                && properties.contains("ledger.api-key=${LEDGER_API_KEY}"), properties);
        assertTrue(properties.contains("quarkus.rest-client.ledger.url=stork://ledger")
                && properties.contains("quarkus.stork.ledger.load-balancer.type=${LEDGER_LOAD_BALANCER:ejecting-round-robin}"), properties);
        assertTrue(Files.exists(repo.resolve("services/service-a/src/main/java/org/acme/fargate/downstream/ledger/LedgerClient.java")));

        String compose = Files.readString(repo.resolve("compose.yaml"));
        assertTrue(compose.contains("  ledger:\n    image: localhost/fnr/ledger:local"), compose);
        assertTrue(Files.readString(repo.resolve("README.md")).contains("| [`ledger`](services/ledger/README.md) |"));
    }

    @Test
    void aNameThatCannotBeIsRefusedAndNothingIsWritten() throws IOException {
        Map<String, String> before = snapshot();
        for (String name : List.of("service-b", "web", "new", "Ledger", "a", "-ledger", "ledger-", "in--ventory",
                "a-name-that-is-much-too-long-for-a-label")) {
            assertThrows(IllegalArgumentException.class, () -> new NewService(repo, name, "service-a").run(), name);
        }
        IllegalArgumentException noCaller = assertThrows(IllegalArgumentException.class,
                () -> new NewService(repo, "ledger", "nope").run());
        assertTrue(noCaller.getMessage().contains("no caller nope"), noCaller.getMessage());
        IllegalArgumentException callsNothing = assertThrows(IllegalArgumentException.class,
                () -> new NewService(repo, "ledger", "service-b").run());
        assertTrue(callsNothing.getMessage().contains("calls no service through Stork"), callsNothing.getMessage());
        assertEquals(before, snapshot());
    }

    @Test
    void uncommittedChangesInAFileItWouldChangeAreRefused() throws Exception {
        git("init", "-q");
        git("add", "-A");
        git("-c", "user.name=test", "-c", "user.email=test@example.com", "commit", "-q", "-m", "fork");
        Files.writeString(repo.resolve("infra/stacks"), Files.readString(repo.resolve("infra/stacks")) + "# mine\n");
        Map<String, String> before = snapshot();
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> new NewService(repo, "ledger", "service-a").run());
        assertTrue(refused.getMessage().contains("uncommitted changes") && refused.getMessage().contains("infra/stacks"),
                refused.getMessage());
        assertEquals(before, snapshot());
    }

    @Test
    void aFailureWhileWritingPutsEveryFileBack() throws IOException {
        // Where the caller's client would go there is a file: the writes stop part way.
        Path blocked = repo.resolve("services/service-a/src/main/java/org/acme/fargate/downstream");
        Files.createDirectories(blocked.getParent());
        Files.writeString(blocked, "not a folder");
        Map<String, String> before = snapshot();
        IllegalStateException stopped = assertThrows(IllegalStateException.class,
                () -> new NewService(repo, "ledger", "service-a").run());
        assertTrue(stopped.getMessage().contains("put every file back"), stopped.getMessage());
        assertEquals(before, snapshot());
        assertTrue(!Files.exists(repo.resolve("services/ledger")), "no half-made module");
    }

    private Map<String, String> snapshot() throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(repo)) {
            for (Path file : all.filter(Files::isRegularFile).filter(path -> !path.toString().contains("/.git/")).toList()) {
                files.put(repo.relativize(file).toString(), Files.readString(file));
            }
        }
        return files;
    }

    private void git(String... arguments) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("git", "-C", repo.toString()));
        command.addAll(List.of(arguments));
        Process git = new ProcessBuilder(command).inheritIO().start();
        assertTrue(git.waitFor(30, TimeUnit.SECONDS) && git.exitValue() == 0, String.join(" ", command));
    }
}
