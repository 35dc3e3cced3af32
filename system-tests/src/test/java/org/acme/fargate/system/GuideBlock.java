package org.acme.fargate.system;

import java.util.List;

/**
 * A guide's {@code bash} block that starts a topology with its first command and stops it with its last, run as
 * written but in three parts, so that the test class that proves the same scenario in depth runs on the guide's own
 * topology instead of starting one more: {@link #start()}, the class's tests, {@link #runMiddle()} (every command in
 * between, in one shell), the class's tests, {@link #stop()}. Each scenario is started once (docs/testing.md).
 */
record GuideBlock(String page, List<String> commands) {

    /** The block of {@code page} (a path from the project's root) that contains {@code marker}. */
    static GuideBlock of(String page, String marker) throws Exception {
        String code = MarkdownScript.blockContaining(LocalTopology.ROOT.resolve(page), marker);
        List<String> commands = MarkdownScript.commands(code).stream().filter(command -> !command.isBlank()).toList();
        if (commands.size() < 3 || !commands.get(0).startsWith("./run-local.sh ")
                || !commands.get(commands.size() - 1).equals("./run-local.sh stop")) {
            throw new AssertionError(page + "'s block no longer starts a topology and ends with ./run-local.sh stop:\n" + code);
        }
        return new GuideBlock(page, commands);
    }

    /** The first command, which starts the topology (nothing may run: a reader starts from a stopped one). */
    String start() throws Exception {
        return bash(commands.get(0), 300);
    }

    /** Every command between the first and the last, in one shell; fails when one fails. */
    String runMiddle() throws Exception {
        return runMiddle(300);
    }

    String runMiddle(int timeoutSeconds) throws Exception {
        return bash(String.join("\n", commands.subList(1, commands.size() - 1)), timeoutSeconds);
    }

    /** The last command: {@code ./run-local.sh stop}. */
    String stop() throws Exception {
        return bash(commands.get(commands.size() - 1), 300);
    }

    private String bash(String code, int timeoutSeconds) throws Exception {
        LocalTopology.Result result = LocalTopology.exec(List.of("bash", "-euo", "pipefail", "-c", code), timeoutSeconds);
        if (result.exitCode() != 0) {
            throw new AssertionError(page + ", as written, failed (" + result.exitCode() + "):\n" + code + "\n" + result.output());
        }
        return result.output();
    }
}
