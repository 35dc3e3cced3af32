package org.acme.fargate.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A page's {@code bash} blocks, run as a reader would paste them: in page order, in one shell (a variable one block
 * sets, the next sees), from the project's root. Written by hand (no Java library runs Markdown as a script); the
 * model is the EKS workshop's test runner, which reads the same kind of fence options.
 *
 * <p>Fence options, after {@code ```bash}: {@code timeout=N} (seconds, 120 by default), {@code expect-error} (the
 * block's last command must fail), {@code hook=NAME} (after the block, {@code tests/hook-NAME.sh} beside the page
 * runs with the block's output file as its argument and must exit 0: it asserts what the reader should see), and
 * {@code test=false} with {@code reason="..."} for a block that needs an AWS account: it is not run, only checked
 * as far as can be without AWS ({@link #checkWithoutAws}); {@code cleanup} marks the block that undoes the page (a
 * lab's last: WorkshopIT holds each to it).
 */
final class MarkdownScript {

    private static final Pattern BASH_BLOCK = Pattern.compile("```bash([^\\n]*)\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern OPTION = Pattern.compile("([a-z-]+)(?:=(\"[^\"]*\"|\\S+))?");
    /** An AWS CLI call anywhere in a command line: at its start, in $(...) or after a pipe. */
    private static final Pattern AWS_CALL = Pattern.compile("(?:^|\\$\\(|\\|\\s*)aws\\s+([a-z0-9-]+)\\s+([a-z0-9-]+)");
    /** The stacks infra/deploy.sh creates are fnr-<template> (EnvironmentName fnr). */
    private static final Pattern STACK_NAME = Pattern.compile("--stack-name\\s+\"?fnr-([a-z-]+)");

    private MarkdownScript() {
    }

    /** One {@code bash} block: its code, its fence options, and the line it starts on. */
    record Block(int line, String code, Map<String, String> options) {

        boolean tested() {
            return !"false".equals(options.get("test"));
        }

        boolean expectsError() {
            return options.containsKey("expect-error");
        }

        int timeoutSeconds() {
            return Integer.parseInt(options.getOrDefault("timeout", "120"));
        }

        Optional<String> hook() {
            return Optional.ofNullable(options.get("hook"));
        }

        /** A clean-up block: a runner may also run it before the page, so that an interrupted earlier run leaves nothing. */
        boolean cleanup() {
            return options.containsKey("cleanup");
        }
    }

    /** What a run printed, block by block, and whether it held. */
    record Result(boolean passed, String output, long millis) {
    }

    static List<Block> blocks(Path page) throws IOException {
        String text = Files.readString(page);
        List<Block> blocks = new ArrayList<>();
        Matcher matcher = BASH_BLOCK.matcher(text);
        while (matcher.find()) {
            Map<String, String> options = new LinkedHashMap<>();
            Matcher option = OPTION.matcher(matcher.group(1));
            while (option.find()) {
                String value = option.group(2) == null ? "" : option.group(2).replaceAll("^\"|\"$", "");
                options.put(option.group(1), value);
            }
            int line = (int) text.substring(0, matcher.start()).lines().count() + 1;
            blocks.add(new Block(line, matcher.group(2), options));
        }
        return blocks;
    }

    /** The code of the first {@code bash} block of {@code page} that contains {@code marker}. */
    static String blockContaining(Path page, String marker) throws IOException {
        return blocks(page).stream().map(Block::code).filter(code -> code.contains(marker)).findFirst()
                .orElseThrow(() -> new AssertionError(page.getFileName() + " has no bash block with " + marker));
    }

    /**
     * Runs the page's tested blocks in order in one bash, from {@code root}, stopping at the first that fails (or that
     * succeeds with {@code expect-error}) or whose hook fails; fails when the whole takes longer than the sum of the
     * blocks' timeouts. Each block's output goes to a file of its own (so that what it starts in the background
     * holds no pipe of ours open), then to the result.
     */
    static Result run(Path page, Path root) throws IOException, InterruptedException {
        return run(page, root, List.of());
    }

    /** As {@link #run(Path, Path)}, the shell started by {@code wrapper} (a command that runs the rest of its line). */
    static Result run(Path page, Path root, List<String> wrapper) throws IOException, InterruptedException {
        List<Block> blocks = blocks(page);
        Path work = Files.createTempDirectory("markdown-script");
        // errexit ends the shell at a block's first failing command, as it would stop a reader; the EXIT trap then
        // prints that block's output and where it failed, to the page's own output (fd 3): the shell may exit while
        // the block's redirection to its file is still in place. (Not "source block || ...": that turns errexit off.)
        StringBuilder driver = new StringBuilder("set -eo pipefail\nexec 3>&1\ncd ").append(quote(root.toString())).append('\n')
                .append("__where= __out=\n")
                .append("trap '__status=$?; if [ $__status -ne 0 ] && [ -n \"$__out\" ]; then cat \"$__out\" >&3; ")
                .append("echo \"::: $__where failed, exit $__status\" >&3; fi' EXIT\n");
        int timeout = 10;
        for (int i = 0; i < blocks.size(); i++) {
            Block block = blocks.get(i);
            if (!block.tested()) {
                continue;
            }
            timeout += block.timeoutSeconds();
            Path code = work.resolve("block-" + i + ".sh");
            Path out = work.resolve("block-" + i + ".out");
            Files.writeString(code, block.code());
            String where = page.getFileName() + ":" + block.line();
            driver.append("echo ").append(quote("::: " + where)).append('\n');
            if (block.expectsError()) {
                driver.append("if source ").append(quote(code.toString())).append(" > ").append(quote(out.toString()))
                        .append(" 2>&1; then cat ").append(quote(out.toString())).append("; echo ")
                        .append(quote("::: " + where + " was expected to fail, and did not")).append("; exit 1; fi\n");
            } else {
                driver.append("__where=").append(quote(where)).append(" __out=").append(quote(out.toString())).append('\n')
                        .append("source ").append(quote(code.toString())).append(" > \"$__out\" 2>&1\n")
                        .append("__out=\n");
            }
            driver.append("cat ").append(quote(out.toString())).append('\n');
            if (block.hook().isPresent()) {
                Path hook = page.getParent().resolve("tests/hook-" + block.hook().get() + ".sh");
                driver.append("bash ").append(quote(hook.toString())).append(' ').append(quote(out.toString()))
                        .append(" || { echo ").append(quote("::: " + where + ": hook " + block.hook().get() + " did not hold"))
                        .append("; exit 1; }\n");
            }
        }
        Path script = work.resolve("page.sh");
        Files.writeString(script, driver);
        Path output = work.resolve("page.out");
        long started = System.nanoTime();
        List<String> command = new ArrayList<>(wrapper);
        command.addAll(List.of("bash", script.toString()));
        Process process = new ProcessBuilder(command).directory(root.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        boolean finished = process.waitFor(timeout, TimeUnit.SECONDS);
        if (!finished) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        String printed = Files.readString(output) + (finished ? "" : "\n::: the page did not finish in " + timeout + " s");
        return new Result(finished && process.exitValue() == 0, printed, millis);
    }

    /**
     * A block that needs AWS, checked as far as it can be without an account: each {@code infra/deploy.sh} or
     * {@code infra/destroy.sh} line runs with {@code --dry-run}; each {@code aws} line names a service and an operation
     * the AWS CLI knows ({@code --generate-cli-skeleton} calls nothing), and a {@code --stack-name} of one of the
     * stacks of infra/stacks. Returns what does not hold.
     */
    static List<String> checkWithoutAws(Block block, Path root) throws IOException, InterruptedException {
        List<String> problems = new ArrayList<>();
        for (String command : commands(block.code())) {
            if (command.startsWith("infra/deploy.sh") || command.startsWith("infra/destroy.sh")) {
                String dryRun = command.replaceAll("\\s*#.*$", "") + " --dry-run";
                LocalTopology.Result result = LocalTopology.exec(List.of("bash", "-c", dryRun), 120);
                if (result.exitCode() != 0) {
                    problems.add(dryRun + ": " + result.output());
                }
            }
            Matcher aws = AWS_CALL.matcher(command);
            while (aws.find()) {
                LocalTopology.Result result = LocalTopology.exec(
                        List.of("aws", aws.group(1), aws.group(2), "--generate-cli-skeleton"), 60);
                if (result.exitCode() != 0) {
                    problems.add(command + ": the AWS CLI knows no " + aws.group(1) + " " + aws.group(2));
                }
            }
            Matcher stack = STACK_NAME.matcher(command);
            while (stack.find()) {
                String name = stack.group(1);
                if (org.acme.fargate.taskrunner.Stack.all(root.resolve("infra/stacks")).stream().noneMatch(s -> s.name().equals(name))) {
                    problems.add(command + ": infra/stacks has no stack " + name);
                }
            }
        }
        return problems;
    }

    /** The block's command lines, continuation lines joined. */
    static List<String> commands(String code) {
        List<String> commands = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : code.lines().toList()) {
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            commands.add(current.append(line).toString().strip());
            current.setLength(0);
        }
        return commands;
    }

    private static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
