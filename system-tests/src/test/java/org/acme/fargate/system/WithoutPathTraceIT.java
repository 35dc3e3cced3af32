package org.acme.fargate.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The path trace and tracing are layers a fork can drop. This test does what path-trace/README.md and
 * tracing/README.md tell a fork to do, to copies of service-a and service-b: delete the path-trace and tracing
 * dependencies from each pom.xml and the {@code path-trace.*} and {@code tracing.*} lines from each
 * application.properties. Then it builds the copies, runs them (service-a calling service-b), and checks that the
 * storefront still works, without a path and without a trace.
 */
@Execution(value = ExecutionMode.CONCURRENT, reason = "free ports only, and a copy of the modules")
class WithoutPathTraceIT {

    private static final Pattern DEMO_LAYER_DEPENDENCY = Pattern.compile(
            "\\s*<dependency>\\s*(<!--(?:(?!-->).)*-->\\s*)?<groupId>org\\.acme\\.fargate</groupId>\\s*"
                    + "<artifactId>(path-trace|tracing)</artifactId>\\s*</dependency>", Pattern.DOTALL);
    private static final Path FORK = LocalTopology.ROOT.resolve("system-tests/target/without-path-trace");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final List<Process> RUNNING = new ArrayList<>();
    private static int serviceAPort;

    @BeforeAll
    static void forkBuildAndStartWithoutThePathTrace() throws Exception {
        LocalTopology.run(List.of("rm", "-rf", FORK.toString()));
        // Every module the two services build with but the two layers, test-scoped ones included (service-a's tests run
        // cloudmap-local), read from the poms as run-local.sh reads them: a fresh machine has none of them in its Maven
        // repository, and the build is offline.
        LocalTopology.Result closure = LocalTopology.exec(List.of("bash", "-c",
                "ROOT=. && . local/lib/modules.sh && module_closure service-b service-a"), 30);
        assertEquals(0, closure.exitCode(), closure.output());
        List<String> modules = closure.output().lines().filter(module -> !List.of("path-trace", "tracing").contains(module)).toList();
        assertTrue(modules.containsAll(List.of("ecs-task", "cloudmap-local", "service-b", "service-a")), modules.toString());
        for (String module : modules) {
            copy(LocalTopology.module(module), FORK.resolve(module));
            Path pom = FORK.resolve(module).resolve("pom.xml");
            Files.writeString(pom, Files.readString(pom).replace("<relativePath>../../pom.xml</relativePath>",
                    "<relativePath>../pom.xml</relativePath>"));
        }
        for (String service : List.of("service-b", "service-a")) {
            dropThePathTrace(FORK.resolve(service));
        }
        // A project of its own, as a fork is: the parent pom with these modules, and its own .mvn, so that Maven and
        // Quarkus's workspace loader read this copy alone, never this repository's other modules beside it.
        Files.writeString(FORK.resolve("pom.xml"), Files.readString(LocalTopology.ROOT.resolve("pom.xml"))
                .replaceFirst("(?s)<modules>.*?</modules>", Matcher.quoteReplacement("<modules>\n" + modules.stream()
                        .map(module -> "    <module>" + module + "</module>").collect(Collectors.joining("\n")) + "\n  </modules>")));
        copy(LocalTopology.ROOT.resolve(".mvn"), FORK.resolve(".mvn"));
        LocalTopology.run(List.of(LocalTopology.ROOT.resolve("mvnw").toString(), "-B", "-ntp", "-q", "-o",
                "-f", FORK.resolve("pom.xml").toString(), "package", "-DskipTests"));

        int serviceBPort = LocalTopology.freePort();
        serviceAPort = LocalTopology.freePort();
        // service-b's API key, as ECS gives both sides the one secret.
        String apiKey = "without-path-trace-" + serviceBPort;
        start("service-b", Map.of("QUARKUS_HTTP_PORT", String.valueOf(serviceBPort), "API_KEY", apiKey));
        start("service-a", Map.of("QUARKUS_HTTP_PORT", String.valueOf(serviceAPort), "SERVICE_B_DISCOVERY", "static",
                "SERVICE_B_ADDRESSES", "127.0.0.1:" + serviceBPort, "SERVICE_B_API_KEY", apiKey));
        LocalTopology.awaitReady("http://127.0.0.1:" + serviceBPort, 60);
        LocalTopology.awaitReady("http://127.0.0.1:" + serviceAPort, 60);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        for (Process process : RUNNING) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    @Test
    void theForksHaveNoPathTraceLeft() throws IOException {
        for (String service : List.of("service-b", "service-a")) {
            String pom = Files.readString(FORK.resolve(service).resolve("pom.xml"));
            assertFalse(pom.contains("path-trace") || pom.contains("<artifactId>tracing</artifactId>"), service);
            try (Stream<Path> libraries = Files.list(FORK.resolve(service).resolve("target/quarkus-app/lib/main"))) {
                List<String> names = libraries.map(path -> path.getFileName().toString()).toList();
                assertTrue(names.stream().noneMatch(name -> name.contains("path-trace") || name.contains("opentelemetry")),
                        service + " ships " + names);
                assertTrue(names.stream().anyMatch(name -> name.contains("ecs-task")), service + " still knows its task");
            }
        }
    }

    @Test
    void theStorefrontStillPricesABasketThroughServiceB() throws Exception {
        HttpResponse<String> quote = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + serviceAPort + "/api/quotes"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString("{\"items\":[{\"sku\":\"TEA-001\",\"quantity\":12}]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, quote.statusCode(), quote.body());
        assertTrue(quote.body().contains("\"totalCents\":16530"), quote.body());
        assertEquals(List.of(), quote.headers().allValues("X-Path"), "no path without the layer");
        assertEquals(List.of(), quote.headers().allValues("traceresponse"), "no trace without the layer");

        HttpResponse<String> unknown = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + serviceAPort
                + "/api/products/NOPE-1")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, unknown.statusCode(), unknown.body());
        assertTrue(unknown.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
    }

    /** The README's two steps, and nothing more. */
    private static void dropThePathTrace(Path service) throws IOException {
        Path pom = service.resolve("pom.xml");
        String withoutDependency = DEMO_LAYER_DEPENDENCY.matcher(Files.readString(pom)).replaceAll("");
        assertFalse(withoutDependency.contains("<artifactId>path-trace</artifactId>")
                || withoutDependency.contains("<artifactId>tracing</artifactId>"), "the dependencies were found in " + pom);
        Files.writeString(pom, withoutDependency);
        Path properties = service.resolve("src/main/resources/application.properties");
        Files.writeString(properties, Files.readString(properties).lines()
                .filter(line -> !line.startsWith("path-trace.") && !line.startsWith("tracing."))
                .collect(Collectors.joining("\n", "", "\n")));
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.filter(path -> !from.relativize(path).startsWith("target")).toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }

    private static void start(String service, Map<String, String> environment) throws IOException {
        Path jar = FORK.resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
        ProcessBuilder builder = new ProcessBuilder("java", "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(FORK.resolve(service + ".log").toFile());
        builder.environment().putAll(environment);
        RUNNING.add(builder.start());
    }
}
