package org.acme.fargate.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts the topology once for all system tests with the README's own command
 * ({@code ./run-local.sh --detach}), and stops it with {@code ./run-local.sh stop} when they are done.
 */
public class LocalTopology implements BeforeAllCallback, ExtensionContext.Store.CloseableResource {

    public static final String PAGE = "http://localhost:8000";
    public static final Path ROOT = Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();
    private static boolean started;

    @Override
    public synchronized void beforeAll(ExtensionContext context) throws Exception {
        if (!started) {
            run(List.of("./run-local.sh", "stop"));
            run(List.of("./run-local.sh", "--b", "2", "--detach"));
            started = true;
            context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).put(LocalTopology.class.getName(), this);
        }
    }

    @Override
    public void close() throws Exception {
        run(List.of("./run-local.sh", "stop"));
    }

    public static String run(List<String> command) throws IOException, InterruptedException {
        Path output = Files.createTempFile("run-local", ".log");
        Process process = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException(command + " did not finish in 5 minutes");
        }
        String printed = Files.readString(output);
        if (process.exitValue() != 0) {
            throw new IllegalStateException(command + " failed (" + process.exitValue() + "):\n" + printed);
        }
        return printed;
    }
}
