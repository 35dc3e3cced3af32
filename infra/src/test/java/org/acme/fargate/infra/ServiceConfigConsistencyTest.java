package org.acme.fargate.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What the templates assume about the services, read from the services' own application.properties:
 * ports, health paths, names, the environment variables they read and the discovery modes they know.
 */
class ServiceConfigConsistencyTest {

    private static final Pattern ENV_VARIABLE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]");

    /** A module's folder, by its artifactId: services/, libs/ or tools/. */
    static Path module(String artifactId) {
        return java.util.stream.Stream.of("services", "libs", "tools").map(group -> Path.of("..", group, artifactId))
                .filter(folder -> Files.exists(folder.resolve("pom.xml"))).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no module " + artifactId));
    }

    static Properties properties(String module) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(module(module).resolve("src/main/resources/application.properties"))) {
            properties.load(reader);
        }
        return properties;
    }

    static JsonNode container(JsonNode template, String name) {
        for (JsonNode resource : template.path("Resources")) {
            for (JsonNode container : resource.path("Properties").path("ContainerDefinitions")) {
                if (container.path("Name").asText().equals(name)) {
                    return container;
                }
            }
        }
        throw new AssertionError("no container " + name);
    }

    static String environment(JsonNode container, String name) {
        for (JsonNode variable : container.path("Environment")) {
            if (variable.path("Name").asText().equals(name)) {
                return variable.path("Value").asText();
            }
        }
        throw new AssertionError(container.path("Name").asText() + " sets no " + name);
    }

    /** Default of a ${VARIABLE:default} expression, or the value itself. */
    static String defaultOf(String value) {
        Matcher m = Pattern.compile("\\$\\{[A-Z0-9_]+:([^}]*)}").matcher(value);
        return m.matches() ? m.group(1) : value;
    }

    @Test
    void portsMatchWhatTheServicesListenOn() throws IOException {
        JsonNode web = Templates.parsed(Templates.text("web"), Map.of());
        JsonNode serviceB = Templates.stack("service-b");
        assertEquals(defaultOf(properties("frontend-sidecar").getProperty("quarkus.http.port")),
                container(web, "frontend-sidecar").path("PortMappings").get(0).path("ContainerPort").asText());
        assertEquals(web.path("Resources").path("TargetGroup").path("Properties").path("Port").asText(),
                defaultOf(properties("frontend-sidecar").getProperty("quarkus.http.port")));
        assertEquals(defaultOf(properties("service-b").getProperty("quarkus.http.port")),
                container(serviceB, "service-b").path("PortMappings").get(0).path("ContainerPort").asText());
        assertEquals(container(serviceB, "service-b").path("PortMappings").get(0).path("ContainerPort").asText(),
                environment(container(serviceB, "service-b"), "QUARKUS_HTTP_PORT"), "a backend listens on its ContainerPort");
        // service-a: the sidecar's backend port (template) is the port service-a listens on.
        String backendPort = environment(container(web, "frontend-sidecar"), "BACKEND_PORT");
        assertEquals(defaultOf(properties("service-a").getProperty("quarkus.http.port")), backendPort);
        assertEquals("127.0.0.1", properties("service-a").getProperty("%prod.quarkus.http.host"),
                "service-a listens on the task's loopback only");
    }

    /** ecs-task names each container after its application, so the two names must be one. */
    @Test
    void containerNamesAreTheApplicationNames() throws IOException {
        JsonNode web = Templates.parsed(Templates.text("web"), Map.of());
        JsonNode serviceB = Templates.stack("service-b");
        for (String module : new String[] {"frontend-sidecar", "service-a", "service-b"}) {
            JsonNode template = module.equals("service-b") ? serviceB : web;
            assertEquals(module, container(template, module).path("Name").asText(), "a container named " + module);
            assertEquals(module, properties(module).getProperty("quarkus.application.name"));
        }
    }

    @Test
    void healthPathsAreTheOnesQuarkusServes() throws IOException {
        for (String module : new String[] {"frontend-sidecar", "service-a", "service-b"}) {
            assertEquals(null, properties(module).getProperty("quarkus.http.non-application-root-path"),
                    module + " keeps health under /q");
        }
        JsonNode web = Templates.parsed(Templates.text("web"), Map.of());
        assertEquals("/q/health/ready", web.path("Resources").path("TargetGroup").path("Properties").path("HealthCheckPath").asText());
        assertTrue(Templates.text("web").contains("GET /q/health/live"));
        assertTrue(Templates.stack("service-b").toString().contains("GET /q/health/ready"));
    }

    @Test
    void namespaceAndServiceNamesMatchServiceA() throws IOException {
        Properties serviceA = properties("service-a");
        JsonNode platform = Templates.parsed(Templates.text("platform"), Map.of());
        JsonNode serviceB = Templates.stack("service-b");
        String namespace = platform.path("Parameters").path("NamespaceName").path("Default").asText();
        assertEquals(namespace, defaultOf(serviceA.getProperty("quarkus.stork.service-b.service-discovery.namespace")));
        String cloudMapService = serviceB.path("Resources").path("CloudMapService").path("Properties").path("Name").asText();
        assertEquals(cloudMapService, serviceA.getProperty("quarkus.stork.service-b.service-discovery.service"));
        assertEquals(cloudMapService + "." + namespace,
                defaultOf(serviceA.getProperty("quarkus.stork.service-b.service-discovery.hostname")));
    }

    @Test
    void everyEnvironmentVariableSetIsOneTheServiceReads() throws IOException {
        JsonNode web = Templates.parsed(Templates.text("web"), Map.of());
        JsonNode serviceB = Templates.stack("service-b");
        Map<String, JsonNode> containers = Map.of(
                "frontend-sidecar", container(web, "frontend-sidecar"),
                "service-a", container(web, "service-a"),
                "service-b", container(serviceB, "service-b"));
        for (var entry : containers.entrySet()) {
            Set<String> read = new HashSet<>();
            // The service's own configuration, and the defaults of the layers every service depends on.
            List<Path> files = List.of(module(entry.getKey()).resolve("src/main/resources/application.properties"),
                    module("tracing").resolve("src/main/resources/META-INF/microprofile-config.properties"),
                    module("path-trace").resolve("src/main/resources/META-INF/microprofile-config.properties"));
            for (Path file : files) {
                Matcher m = ENV_VARIABLE.matcher(Files.readString(file));
                while (m.find()) {
                    read.add(m.group(1));
                }
            }
            // A property the file sets is read from its environment form too (QUARKUS_HTTP_PORT: quarkus.http.port).
            properties(entry.getKey()).stringPropertyNames().forEach(key -> read.add(key.toUpperCase().replaceAll("[^A-Z0-9]", "_")));
            for (JsonNode variable : entry.getValue().path("Environment")) {
                String name = variable.path("Name").asText();
                // JAVA_TOOL_OPTIONS is read by the JVM itself, not by Quarkus.
                if (!name.equals("JAVA_TOOL_OPTIONS")) {
                    assertTrue(read.contains(name), entry.getKey() + " does not read " + name + " (reads " + read + ")");
                }
            }
        }
    }

    @Test
    void everyDiscoveryModeIsOneServiceAKnows() throws IOException {
        Properties serviceA = properties("service-a");
        JsonNode web = Templates.parsed(Templates.text("web"), Map.of());
        for (JsonNode mode : web.path("Parameters").path("DiscoveryMode").path("AllowedValues")) {
            assertTrue(serviceA.containsKey("service-b.stork-provider." + mode.asText()), "service-a knows " + mode.asText());
        }
        assertEquals("!Ref DiscoveryMode", Templates.text("web").lines().dropWhile(line -> !line.contains("SERVICE_B_DISCOVERY"))
                .skip(1).findFirst().orElseThrow().replace("Value:", "").trim(), "service-a is given the template's word as is");
    }

    /** Seconds of a duration property written as Quarkus reads it ("20s"), 0 when unset. */
    static int seconds(Properties properties, String key) {
        String value = properties.getProperty(key);
        return value == null ? 0 : (int) java.time.Duration.parse("PT" + defaultOf(value).toUpperCase()).toSeconds();
    }

    /**
     * A replacement loses no request (docs/deployments.md): the load balancer's draining outlasts the longest
     * request the sidecar lets through, and every container's graceful shutdown (its readiness-down delay, then
     * its in-flight requests) ends before ECS's SIGKILL at the StopTimeout.
     */
    @Test
    void aReplacedTaskDrainsAndStopsBeforeItIsKilled() throws IOException {
        JsonNode web = Templates.parsed(Templates.text("web"), Map.of());
        JsonNode serviceB = Templates.stack("service-b");
        int delay = web.path("Parameters").path("DeregistrationDelaySeconds").path("Default").asInt();
        int longestRequest = seconds(properties("frontend-sidecar"), "sidecar.backend.response-timeout");
        assertTrue(delay > longestRequest, "deregistration delay " + delay + " s outlasts a request of " + longestRequest + " s");
        for (String module : new String[] {"frontend-sidecar", "service-a", "service-b"}) {
            Properties properties = properties(module);
            int shutdown = seconds(properties, "quarkus.shutdown.delay") + seconds(properties, "quarkus.shutdown.timeout");
            int stopTimeout = container(module.equals("service-b") ? serviceB : web, module).path("StopTimeout").asInt();
            assertTrue(shutdown < stopTimeout, module + ": its shutdown (" + shutdown + " s) ends before SIGKILL (StopTimeout " + stopTimeout + " s)");
        }
        assertTrue(properties("frontend-sidecar").getProperty("quarkus.shutdown.delay-enabled").equals("true"),
                "the sidecar's readiness goes DOWN at SIGTERM, before it stops accepting");
    }
}
