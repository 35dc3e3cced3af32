package org.acme.fargate.taskrunner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The git commands new-service and rename ask before they change a fork: what is tracked, what is uncommitted. */
final class Git {

    private Git() {
    }

    /** The output of {@code git -C root ARGS}; fails with git's own message. */
    static String run(Path root, List<String> arguments) {
        List<String> command = new ArrayList<>(List.of("git", "-C", root.toString()));
        command.addAll(arguments);
        try {
            Process git = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!git.waitFor(60, TimeUnit.SECONDS) || git.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output.strip());
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Uncommitted changes (and untracked files) among {@code paths}, or in the whole tree when none is given. */
    static String uncommittedChanges(Path root, List<String> paths) {
        List<String> arguments = new ArrayList<>(List.of("status", "--porcelain", "--"));
        arguments.addAll(paths);
        return run(root, arguments).strip();
    }

    /** The files git tracks, relative to the root. */
    static List<String> trackedFiles(Path root) {
        return List.of(run(root, List.of("ls-files", "-z")).split("\0")).stream().filter(path -> !path.isEmpty()).toList();
    }
}
