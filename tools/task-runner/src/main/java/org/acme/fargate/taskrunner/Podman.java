package org.acme.fargate.taskrunner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The podman command line: each call bounded in time, its output (stdout and stderr) returned. */
public final class Podman {

    /** What one podman command did. */
    public record Result(int exitCode, String output) {
    }

    private static final int TIMEOUT_SECONDS = 120;

    private Podman() {
    }

    /** Why pods cannot run here, or null when they can. */
    public static String whyNotSupported() {
        try {
            if (new ProcessBuilder("podman", "--version").start().waitFor() != 0) {
                return "podman does not run";
            }
        } catch (IOException | InterruptedException e) {
            return "podman is missing (apt-get install podman runc; images/podman-setup.sh)";
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            return "tasks run as pods as root (the pods' cgroups and network namespaces)";
        }
        return null;
    }

    /** Runs podman with the arguments; fails unless it exits 0. */
    public static String run(String... arguments) {
        Result result = attempt(arguments);
        if (result.exitCode() != 0) {
            throw new IllegalStateException("podman " + String.join(" ", arguments) + " failed (" + result.exitCode()
                    + "):\n" + result.output());
        }
        return result.output();
    }

    /** Runs podman with the arguments, however it exits. */
    public static Result attempt(String... arguments) {
        List<String> command = new ArrayList<>(List.of("podman"));
        command.addAll(List.of(arguments));
        Path output = null;
        try {
            output = Files.createTempFile("podman", ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
        } finally {
            if (output != null) {
                output.toFile().delete();
            }
        }
    }
}
