package org.acme.fargate.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** The podman command line, as the image tests use it: each call bounded in time, its output returned. */
final class Podman {

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
        LocalTopology.Result result = attempt(arguments);
        if (result.exitCode() != 0) {
            throw new IllegalStateException("podman " + String.join(" ", arguments) + " failed (" + result.exitCode()
                    + "):\n" + result.output());
        }
        return result.output();
    }

    /** Runs podman with the arguments, however it exits. */
    static LocalTopology.Result attempt(String... arguments) {
        List<String> command = new ArrayList<>(List.of("podman"));
        command.addAll(List.of(arguments));
        try {
            return LocalTopology.exec(command, 120);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
