package org.acme.fargate.taskrunner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rename} on a small repository that spells its names as this one does (under other names, so that this test
 * stays the same when a fork renames this repository): every form replaced where it is a whole
 * word and nowhere else, files moved with their package, a second run changing nothing, and every refusal leaving
 * the repository as it was. ForkIT renames the whole repository and builds, tests and runs it.
 */
class RenameTest {

    private static final byte[] BINARY = {'P', 'K', 0, 1, 'o', 'r', 'd', 'e', 'r', 's'};

    @TempDir
    Path repo;

    @BeforeEach
    void aRepositoryThatSpellsTheNames() throws IOException {
        write("pom.xml", """
                <project>
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>org.example.template</groupId>
                  <artifactId>fargate-template</artifactId>
                  <name>Fargate Template</name>
                  <modules><module>services/order-history</module><module>services/service-a</module></modules>
                </project>
                """);
        write("services/service-a/pom.xml", "<project><artifactId>service-a</artifactId></project>\n");
        write("services/order-history/pom.xml", "<project><groupId>org.example.template</groupId><artifactId>order-history</artifactId></project>\n");
        write("services/service-a/src/test/java/org/example/template/storefront/OrderHistoryStandIn.java", """
                package org.example.template.storefront;

                import org.example.template.path.Hop;

                /** Plays order-history (ORDER_HISTORY_DISCOVERY=dns); registry.byId(srv-orderhistory000001). */
                class OrderHistoryStandIn {
                    int orderHistoryPort;
                    void requestsSpreadOverEveryOrderHistoryInstance() {
                        String id = "fnr-order-history-1", env = "TOPOLOGY_ORDER_HISTORY", file = "order_history.log";
                        String other = "order-historyless orderHistoryless", lookAlike = "org.example.templates";
                    }
                }
                """);
        write("infra/stacks", "network network\norder-history backend-service ServiceName=order-history\nweb web\n");
        write("run.sh", "#!/bin/sh\necho fargate-template order-history\n");
        Files.setPosixFilePermissions(repo.resolve("run.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.write(repo.resolve("logo.bin"), BINARY);
        git("init", "-q");
        git("add", "-A");
        git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "the template");
    }

    @Test
    void everyFormOfEveryNameIsReplacedWhereItIsAWholeWord() throws IOException {
        List<String> changed = rename();

        assertTrue(changed.contains("services/order-pricing/pom.xml"), changed.toString());
        assertEquals("""
                <project>
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>com.example.shop</groupId>
                  <artifactId>shop-on-fargate</artifactId>
                  <name>Shop On Fargate</name>
                  <modules><module>services/order-pricing</module><module>services/service-a</module></modules>
                </project>
                """, read("pom.xml"));
        assertEquals("""
                package com.example.shop.storefront;

                import com.example.shop.path.Hop;

                /** Plays order-pricing (ORDER_PRICING_DISCOVERY=dns); registry.byId(srv-orderpricing000001). */
                class OrderPricingStandIn {
                    int orderPricingPort;
                    void requestsSpreadOverEveryOrderPricingInstance() {
                        String id = "fnr-order-pricing-1", env = "TOPOLOGY_ORDER_PRICING", file = "order_pricing.log";
                        String other = "order-historyless orderHistoryless", lookAlike = "org.example.templates";
                    }
                }
                """, read("services/service-a/src/test/java/com/example/shop/storefront/OrderPricingStandIn.java"));
        assertFalse(Files.exists(repo.resolve("services/service-a/src/test/java/org")), "the old package's folders are gone");
        assertFalse(Files.exists(repo.resolve("services/order-history")));
        assertEquals("#!/bin/sh\necho shop-on-fargate order-pricing\n", read("run.sh"));
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(repo.resolve("run.sh"))));
        assertArrayEquals(BINARY, Files.readAllBytes(repo.resolve("logo.bin")), "a binary file is never edited");
    }

    @Test
    void aSecondRunWithTheSameNamesChangesNothing() throws IOException {
        rename();
        git("add", "-A");
        git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "our names");

        assertEquals(List.of(), rename());
        assertEquals("", Git.uncommittedChanges(repo, List.of()));
        assertEquals(List.of(), new Rename(repo, null, null, null, Map.of("order-pricing", "order-pricing")).run(),
                "the guide's command, renamed with the rest, stays a no-op");
    }

    @Test
    void eachRefusalLeavesTheRepositoryAsItWas() throws IOException {
        String pom = read("pom.xml");
        refused(new Rename(repo, "Com.Example", null, null, Map.of()), "not a Maven group");
        refused(new Rename(repo, "com.example.class", null, null, Map.of()), "no Java keyword");
        refused(new Rename(repo, null, "Shop_On", null, Map.of()), "not a project name");
        refused(new Rename(repo, null, null, null, Map.of("order-archive", "order-pricing")), "no service order-archive");
        refused(new Rename(repo, null, null, null, Map.of("order-history", "service-a")), "service-a is taken");
        refused(new Rename(repo, null, null, null, Map.of("order-history", "web")), "reserved");
        write("pom.xml", pom + "<!-- a fork's own edit -->\n");
        refused(new Rename(repo, "com.example.shop", null, null, Map.of()), "uncommitted changes");
        assertEquals(pom + "<!-- a fork's own edit -->\n", read("pom.xml"));
        assertTrue(Files.exists(repo.resolve("services/order-history/pom.xml")));
    }

    private List<String> rename() {
        return new Rename(repo, "com.example.shop", "shop-on-fargate", null, Map.of("order-history", "order-pricing")).run();
    }

    private void refused(Rename rename, String reason) {
        IllegalArgumentException refusal = assertThrows(IllegalArgumentException.class, rename::run);
        assertTrue(refusal.getMessage().contains(reason), refusal.getMessage());
        assertTrue(Files.exists(repo.resolve("services/service-a/src/test/java/org/example/template/storefront/OrderHistoryStandIn.java")),
                "nothing was moved");
    }

    private void write(String file, String text) throws IOException {
        Files.createDirectories(repo.resolve(file).getParent());
        Files.writeString(repo.resolve(file), text);
    }

    private String read(String file) throws IOException {
        return Files.readString(repo.resolve(file));
    }

    private void git(String... arguments) {
        Git.run(repo, List.of(arguments));
    }
}
