package org.acme.fargate.taskrunner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local Secrets Manager: a secret made once, kept, readable by its owner only, the same for every asker. */
class LocalSecretsTest {

    @TempDir
    Path checkout;

    private LocalSecrets secrets() {
        return LocalSecrets.beside(checkout.resolve("infra/templates/web.yaml"));
    }

    @Test
    void aSecretIsMadeAtTheFirstAskThenKept() throws IOException {
        String first = secrets().value(LocalSecrets.arn("fnr/service-b/api-key"));
        assertTrue(first.matches("[A-Za-z0-9]{40}"), first);
        assertEquals(first, secrets().value(LocalSecrets.arn("fnr/service-b/api-key")), "kept");
        assertNotEquals(first, secrets().value(LocalSecrets.arn("fnr/inventory/api-key")), "each secret its own");
        Path file = checkout.resolve(".local/secrets/fnr/service-b/api-key");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (var leftovers = Files.list(file.getParent())) {
            assertEquals(List.of(file), leftovers.toList(), "no temporary file left");
        }
    }

    @Test
    void aValueWrittenByHandIsTheSecret() throws IOException {
        Path file = Files.createDirectories(checkout.resolve(".local/secrets/fnr/service-b")).resolve("api-key");
        Files.writeString(file, "chosen-by-hand\n");
        assertEquals("chosen-by-hand", secrets().value(LocalSecrets.arn("fnr/service-b/api-key")));
    }

    @Test
    void tasksAskingAtOnceGetOneValue() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> asks = new java.util.ArrayList<>();
            for (int i = 0; i < 32; i++) {
                asks.add(pool.submit(() -> secrets().value(LocalSecrets.arn("fnr/service-b/api-key"))));
            }
            String value = asks.get(0).get();
            for (Future<String> ask : asks) {
                assertEquals(value, ask.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void onlyItsOwnSecretsAndNoPathOutOfTheStore() {
        assertThrows(IllegalArgumentException.class,
                () -> secrets().value("arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-password"));
        assertThrows(IllegalArgumentException.class, () -> secrets().value(LocalSecrets.arn("../../etc/passwd")));
    }
}
