package org.acme.fargate.system;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The packaged frontend-sidecar as a process of its own on a free loopback port, in front of a stand-in for
 * service-a: a real HTTP server that answers every path with a small JSON document, {@code /api/slow} after 2 s.
 */
final class SidecarProcess implements AutoCloseable {

    private static final Path JAR = LocalTopology.module("frontend-sidecar").resolve("target/quarkus-app/quarkus-run.jar");

    final int port;
    final Process process;
    private final HttpServer backend;

    private SidecarProcess(int port, Process process, HttpServer backend) {
        this.port = port;
        this.process = process;
        this.backend = backend;
    }

    static SidecarProcess start(String logName) throws Exception {
        HttpServer backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        backend.setExecutor(Executors.newFixedThreadPool(80));
        backend.createContext("/", exchange -> {
            try {
                if (exchange.getRequestURI().getPath().equals("/api/slow")) {
                    Thread.sleep(2_000);
                }
                exchange.getRequestBody().readAllBytes();
                byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException clientGone) {
                // the sidecar reset the request: its client had left
            }
            exchange.close();
        });
        backend.start();
        int port = LocalTopology.freePort();
        ProcessBuilder builder = new ProcessBuilder("java", "-jar", JAR.toString()).redirectErrorStream(true)
                .redirectOutput(LocalTopology.ROOT.resolve("system-tests/target/" + logName + ".log").toFile());
        builder.environment().putAll(Map.of("QUARKUS_HTTP_PORT", String.valueOf(port), "QUARKUS_HTTP_HOST", "127.0.0.1",
                "BACKEND_HOST", "127.0.0.1", "BACKEND_PORT", String.valueOf(backend.getAddress().getPort())));
        SidecarProcess sidecar = new SidecarProcess(port, builder.start(), backend);
        LocalTopology.awaitReady(sidecar.baseUrl(), 60);
        return sidecar;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** How long the sidecar keeps serving, readiness DOWN, after SIGTERM before it shuts down. */
    static final java.time.Duration SHUTDOWN_DELAY = ServiceSettings.duration("frontend-sidecar", "quarkus.shutdown.delay");

    /** SIGTERM, as ECS sends it; returns the milliseconds until the process had exited. */
    long terminate() throws InterruptedException {
        long start = System.nanoTime();
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the sidecar did not exit within 30 s of SIGTERM");
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Override
    public void close() {
        process.destroyForcibly();
        backend.stop(0);
    }
}
