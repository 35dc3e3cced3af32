package org.acme.fargate.taskrunner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

/**
 * Secrets Manager for local runs: each secret a file of {@code .local/secrets} named after the secret
 * ({@code .local/secrets/fnr/service-b/api-key}), readable by its owner only. A secret is made the first time a task
 * needs it, as CloudFormation's GenerateSecretString makes it when the stack is created (40 letters and digits), and
 * then kept: every local run, pod and compose.yaml of this checkout passes the same value. To choose a value, write
 * the file. A task definition names a secret by ARN ({@code Secrets: ValueFrom}); a Ref to a secret resolves to
 * {@link #arn}, the ARN this store answers.
 */
public final class LocalSecrets {

    private static final String ARN_PREFIX = "arn:aws:secretsmanager:local-1:000000000000:secret:";
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path store;

    private LocalSecrets(Path store) {
        this.store = store;
    }

    /** The store of the checkout whose infra/templates holds this template: its .local/secrets, as run-local's. */
    public static LocalSecrets beside(Path template) {
        return new LocalSecrets(template.toAbsolutePath().getParent().getParent().getParent().resolve(".local/secrets"));
    }

    static String arn(String name) {
        return ARN_PREFIX + name;
    }

    /** The value ECS would put in the container's environment for this valueFrom; made now if it is the first ask. */
    public String value(String valueFrom) {
        if (!valueFrom.startsWith(ARN_PREFIX)) {
            throw new IllegalArgumentException("a local run keeps the secrets of its own templates only, not " + valueFrom);
        }
        Path file = store.resolve(valueFrom.substring(ARN_PREFIX.length())).normalize();
        if (!file.startsWith(store)) {
            throw new IllegalArgumentException("not a secret's name: " + valueFrom);
        }
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                Path written = Files.createTempFile(file.getParent(), ".new-", "",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(written, generated(), StandardOpenOption.WRITE);
                try {
                    // A link appears whole or not at all, and never over another: two tasks asking at once get one value.
                    Files.createLink(file, written);
                } catch (FileAlreadyExistsException madeMeanwhile) {
                    // The other one's value is the secret.
                } finally {
                    Files.delete(written);
                }
            }
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String generated() {
        StringBuilder value = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            value.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return value.toString();
    }
}
