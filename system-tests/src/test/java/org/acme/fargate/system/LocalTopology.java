package org.acme.fargate.system;

import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The shared topology of the classes that extend with it ({@code ./run-local.sh --b 2 --detach}: the default mode,
 * DNS discovery, no traces): started by the first of them, reused by the next as long as it is still that topology
 * with every process up, started again when another class stopped it or left another one running, and stopped with
 * {@code ./run-local.sh stop} when the system tests are done. The classes run first, in a group (their
 * {@code @Order}, junit-platform.properties), so that it starts once per layout ({@link SharedLoopback}'s classes
 * after this one's); the one that scales and kills tasks ({@link FleetIT}) runs last in the group and brings the
 * fleet back before each of its tests.
 */
public class LocalTopology implements BeforeAllCallback, ExtensionContext.Store.CloseableResource {

    public static final String PAGE = "http://localhost:8000";
    public static final Path ROOT = Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();

    /** A module's folder, by its artifactId: services/ (what deploys), libs/ (what they build with) or tools/. */
    public static Path module(String artifactId) {
        for (String group : List.of("services", "libs", "tools")) {
            Path folder = ROOT.resolve(group).resolve(artifactId);
            if (Files.exists(folder.resolve("pom.xml"))) {
                return folder;
            }
        }
        throw new IllegalArgumentException("no module " + artifactId + " under services/, libs/ or tools/");
    }

    /** The {@code @Order} of the classes on the shared topology: before every class that starts its own. */
    public static final int SHARED = 1;

    /**
     * Runs the rest of its command line on a network, {@code .local} and namespaces of its own (the workshop and the
     * benchmark: they run beside the classes on this machine's ports); fails and prints {@link #OWN_NETWORK_LEFTOVERS}
     * when the command left a process running.
     */
    public static final String OWN_NETWORK = "local/own-network.sh";
    public static final String OWN_NETWORK_LEFTOVERS = "left running when the command ended";

    /**
     * The shared topology in the layout of a machine where only 127.0.0.1 answers (macOS): the web tasks on
     * 127.0.0.1, each on ports of its own ({@code --shared-loopback}). Its classes run after those of the default
     * layout ({@code @Order(SHARED + 1)} and later).
     */
    public static class SharedLoopback extends LocalTopology {
        public SharedLoopback() {
            super("shared");
        }
    }

    private final String loopback;

    public LocalTopology() {
        this("per-task");
    }

    private LocalTopology(String loopback) {
        this.loopback = loopback;
    }

    @Override
    public synchronized void beforeAll(ExtensionContext context) throws Exception {
        if (!isTheSharedTopology()) {
            run(List.of("./run-local.sh", "stop"));
            List<String> start = new ArrayList<>(List.of("./run-local.sh", "--b", "2", "--detach"));
            if (loopback.equals("shared")) {
                start.add("--shared-loopback");
            }
            run(start);
        }
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(LocalTopology.class.getName(), key -> this);
    }

    /**
     * Whether what runs is the shared topology in this extension's layout, every process up: two service-b tasks,
     * one web task, no viewer.
     */
    private boolean isTheSharedTopology() throws IOException, InterruptedException {
        if (!isUp()) {
            return false;
        }
        JsonPath status = JsonPath.from(runLocal("status", "--json"));
        List<String> names = status.getList("processes.name");
        return "processes".equals(status.getString("mode")) && "dns".equals(status.getString("discovery"))
                && loopback.equals(status.getString("loopback"))
                && names.equals(List.of("cloudmap-local", "service-b-1", "service-b-2", "service-a-1", "frontend-sidecar-1", "load-balancer"))
                && status.getList("processes.state").stream().allMatch("up"::equals);
    }

    public static boolean isUp() {
        return isReady(PAGE);
    }

    /** Whether the service at {@code baseUrl} answers its readiness check with 200. */
    public static boolean isReady(String baseUrl) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(baseUrl + "/q/health/ready").toURL()
                    .openConnection();
            connection.setConnectTimeout(1_000);
            connection.setReadTimeout(2_000);
            return connection.getResponseCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** Waits until the service at {@code baseUrl} is ready; fails after {@code seconds}. */
    public static void awaitReady(String baseUrl, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!isReady(baseUrl)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(baseUrl + " was not ready within " + seconds + " s");
            }
            Thread.sleep(200);
        }
    }

    /** A port nothing listens on now, for a process a test starts. */
    public static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        run(List.of("./run-local.sh", "stop"));
    }

    /** {@code ./run-local.sh} with these arguments; fails the test when it fails. */
    public static String runLocal(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("./run-local.sh"));
        command.addAll(List.of(arguments));
        return run(command);
    }

    /**
     * The running process that run-local.sh started under this name (service-b-2, cloudmap-local, ...), as
     * {@code ./run-local.sh status --json} names it: the script's documented interface, not its state files.
     */
    public static ProcessHandle process(String name) throws IOException, InterruptedException {
        JsonPath status = JsonPath.from(runLocal("status", "--json"));
        Integer pid = status.get("processes.find { it.name == '" + name + "' }.pid");
        if (pid == null) {
            throw new IllegalStateException(name + " is not one of the processes run-local.sh started: " + status.prettify());
        }
        return ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException(name + " (" + pid + ") is not running"));
    }

    /**
     * The first web task's sidecar, past the load balancer (host and port, as status names it): for the tests of
     * what the sidecar itself does with what the internet sends, which the ALB would forward to it.
     */
    public static InetSocketAddress sidecar() throws IOException, InterruptedException {
        JsonPath status = JsonPath.from(runLocal("status", "--json"));
        String address = status.get("processes.find { it.name == 'frontend-sidecar-1' }.address");
        if (address == null) {
            throw new IllegalStateException("no frontend-sidecar-1 in " + status.prettify());
        }
        return new InetSocketAddress(address.substring(0, address.lastIndexOf(':')),
                Integer.parseInt(address.substring(address.lastIndexOf(':') + 1)));
    }

    /** What a command printed (output and errors together) and how it exited. */
    public record Result(int exitCode, String output) {
    }

    /** Runs a command from the project's root; fails the test when it fails or takes over 5 minutes. */
    public static String run(List<String> command) throws IOException, InterruptedException {
        Result result = exec(command, 300);
        if (result.exitCode() != 0) {
            throw new IllegalStateException(command + " failed (" + result.exitCode() + "):\n" + result.output());
        }
        return result.output();
    }

    /**
     * Runs a bash script ({@code -euo pipefail}) from the project's root on {@link #OWN_NETWORK}, however it exits; fails
     * the test when it left a process running or takes over {@code timeoutSeconds}.
     */
    public static Result onOwnNetwork(String script, int timeoutSeconds) throws IOException, InterruptedException {
        Result result = exec(List.of(OWN_NETWORK, "bash", "-euo", "pipefail", "-c", script), timeoutSeconds);
        if (result.output().contains(OWN_NETWORK_LEFTOVERS)) {
            throw new AssertionError("it stops what it started:\n" + result.output());
        }
        return result;
    }

    /** Runs a command from the project's root, however it exits; fails the test when it takes over {@code timeoutSeconds}. */
    public static Result exec(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Path output = Files.createTempFile("run-local", ".log");
        try {
            Process process = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(command + " did not finish in " + timeoutSeconds + " s");
            }
            return new Result(process.exitValue(), Files.readString(output));
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
