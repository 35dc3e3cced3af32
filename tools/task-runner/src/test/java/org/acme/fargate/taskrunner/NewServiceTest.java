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
 * runs use, and every refusal leaving the copy as it was. ForkIT builds and runs what it makes.
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
            for (Path file : infra.filter(Files::isRegularFile).filter(path -> !path.toString().contains("/target/")
                    && !path.toString().contains("/src/")).toList()) {
                Path copy = repo.resolve(ROOT.relativize(file));
                Files.createDirectories(copy.getParent());
                Files.copy(file, copy);
            }
        }
    }

    @Test
    void theServiceItsStackAndItsCallersWiringAreWritten() throws IOException {
        new NewService(repo, "inventory", "service-a").run();

        Path module = repo.resolve("services/inventory");
        assertTrue(Files.readString(module.resolve("pom.xml")).contains("<artifactId>inventory</artifactId>"));
        assertTrue(Files.readString(module.resolve("src/main/java/org/acme/fargate/inventory/InventoryResource.java"))
                .contains("public class InventoryResource"));
        assertTrue(Files.exists(module.resolve("openapi/openapi.json")) && Files.exists(module.resolve("README.md")));
        assertTrue(Files.readString(repo.resolve("pom.xml")).contains("<module>services/inventory</module>"));

        List<Stack> stacks = Stack.all(repo.resolve("infra/stacks"));
        assertEquals(List.of("network", "platform", "service-b", "inventory", "web", "observability"),
                stacks.stream().map(Stack::name).toList(), "deployed before its caller, deleted after it");
        assertEquals(new Stack("inventory", "backend-service", Map.of("ServiceName", "inventory")), stacks.get(3));
        Path templates = repo.resolve("infra/templates");
        assertEquals(List.of(new SecurityGroups.Ingress("inventory from its callers", "tcp", 8080, 8080, "fnr-web", null)),
                SecurityGroups.of(templates.resolve("backend-service.yaml"), stacks.get(3).parameters(),
                        templates.resolve("platform.yaml")).get(0).ingress(), "its own group admits the web tasks only");

        Map<String, String> serviceA = TaskDefinitions.read(templates.resolve("web.yaml"), Map.of(), TaskDefinitions.LOCAL_EXPORTS)
                .container("service-a").environment();
        assertEquals("dns", serviceA.get("INVENTORY_DISCOVERY"));
        assertEquals("inventory.shop.internal", serviceA.get("INVENTORY_DNS_NAME"));
        assertEquals("inventory:8080", serviceA.get("INVENTORY_ADDRESSES"));
        assertTrue(Files.readString(templates.resolve("web.yaml")).contains("\"servicediscovery:ServiceName\": [service-b, inventory]"),
                "service-a may discover it in Cloud Map");
        String properties = Files.readString(repo.resolve("services/service-a/src/main/resources/application.properties"));
        assertTrue(properties.contains("quarkus.rest-client.inventory.url=stork://inventory")
                && properties.contains("quarkus.stork.inventory.load-balancer.type=${INVENTORY_LOAD_BALANCER:ejecting-round-robin}"), properties);
        assertTrue(Files.exists(repo.resolve("services/service-a/src/main/java/org/acme/fargate/downstream/inventory/InventoryClient.java")));

        String compose = Files.readString(repo.resolve("compose.yaml"));
        assertTrue(compose.contains("  inventory:\n    image: localhost/fnr/inventory:local"), compose);
        assertTrue(Files.readString(repo.resolve("README.md")).contains("| [`inventory`](services/inventory/README.md) |"));
    }

    @Test
    void aNameThatCannotBeIsRefusedAndNothingIsWritten() throws IOException {
        Map<String, String> before = snapshot();
        for (String name : List.of("service-b", "web", "new", "Inventory", "a", "-inventory", "inventory-", "in--ventory",
                "a-name-that-is-much-too-long-for-a-label")) {
            assertThrows(IllegalArgumentException.class, () -> new NewService(repo, name, "service-a").run(), name);
        }
        IllegalArgumentException noCaller = assertThrows(IllegalArgumentException.class,
                () -> new NewService(repo, "inventory", "nope").run());
        assertTrue(noCaller.getMessage().contains("no caller nope"), noCaller.getMessage());
        IllegalArgumentException callsNothing = assertThrows(IllegalArgumentException.class,
                () -> new NewService(repo, "inventory", "service-b").run());
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
                () -> new NewService(repo, "inventory", "service-a").run());
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
                () -> new NewService(repo, "inventory", "service-a").run());
        assertTrue(stopped.getMessage().contains("put every file back"), stopped.getMessage());
        assertEquals(before, snapshot());
        assertTrue(!Files.exists(repo.resolve("services/inventory")), "no half-made module");
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
