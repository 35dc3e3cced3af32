package org.acme.fargate.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The podman command line, as the image tests use it: each call bounded in time, its output returned. */
final class Podman {

    record Result(int exitCode, String output) {
    }

    private Podman() {
    }

    /** Why the image tests cannot run here, or null when they can. */
    static String whyNotSupported() {
        try {
            if (new ProcessBuilder("podman", "--version").start().waitFor() != 0) {
                return "podman does not run";
            }
        } catch (IOException | InterruptedException e) {
            return "podman is missing (apt-get install podman runc; images/podman-setup.sh)";
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            return "the image tests run pods as root";
        }
        return null;
    }

    /** Runs podman with the arguments; fails unless it exits 0. */
    static String run(String... arguments) {
        Result result = attempt(arguments);
        if (result.exitCode() != 0) {
            throw new IllegalStateException("podman " + String.join(" ", arguments) + " failed (" + result.exitCode()
                    + "):\n" + result.output());
        }
        return result.output();
    }

    static Result attempt(String... arguments) {
        List<String> command = new ArrayList<>(List.of("podman"));
        command.addAll(List.of(arguments));
        return exec(command, 120);
    }

    static Result exec(List<String> command, int timeoutSeconds) {
        try {
            Path output = Files.createTempFile("podman", ".log");
            Process process = new ProcessBuilder(command).directory(LocalTopology.ROOT.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(command + " did not finish in " + timeoutSeconds + " s");
            }
            String printed = Files.readString(output);
            Files.delete(output);
            return new Result(process.exitValue(), printed);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
