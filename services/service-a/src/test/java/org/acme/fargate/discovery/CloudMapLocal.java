package org.acme.fargate.discovery;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.File;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryClient;
import software.amazon.awssdk.services.servicediscovery.model.CustomHealthStatus;

/**
 * The packaged cloudmap-local as a real process on free ports (API over HTTP, DNS over UDP), and an
 * AWS SDK client to register instances in it the way ECS does. It can be stopped and started again,
 * to play a Cloud Map outage.
 */
public class CloudMapLocal implements QuarkusTestResourceLifecycleManager {

    static final String SERVICE_ID = "srv-serviceb00000001";
    static final int API_PORT = freeTcpPort();
    static final int DNS_PORT = freeUdpPort();
    private static final Path JAR = Path.of("../../tools/cloudmap-local/target/quarkus-app/quarkus-run.jar");
    private static Process process;
    private static String routingPolicy = "MULTIVALUE";
    static ServiceDiscoveryClient sdk;

    /** {@code @QuarkusTestResource(initArgs = @ResourceArg(name = "routing-policy", value = "WEIGHTED"))}. */
    @Override
    public void init(Map<String, String> initArgs) {
        routingPolicy = initArgs.getOrDefault("routing-policy", "MULTIVALUE");
    }

    @Override
    public Map<String, String> start() {
        startProcess();
        sdk = ServiceDiscoveryClient.builder().endpointOverride(URI.create(endpoint())).region(Region.US_EAST_1)
                .credentialsProvider(AnonymousCredentialsProvider.create())
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.putAdvancedOption(SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true))
                .build();
        return Map.of("quarkus.stork.service-b.service-discovery.endpoint", endpoint(),
                "quarkus.stork.service-b.service-discovery.dns-servers", "127.0.0.1:" + DNS_PORT);
    }

    @Override
    public void stop() {
        stopProcess();
        sdk.close();
    }

    static String endpoint() {
        return "http://127.0.0.1:" + API_PORT;
    }

    static synchronized void startProcess() {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException("Package cloudmap-local first (./mvnw package): " + JAR.toAbsolutePath());
        }
        try {
            File log = Files.createTempFile("cloudmap-local", ".log").toFile();
            process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dquarkus.http.port=" + API_PORT, "-Dcloudmap.dns.port=" + DNS_PORT,
                    "-Dcloudmap.namespaces.\"shop.internal\".services.service-b.routing-policy=" + routingPolicy,
                    "-jar", JAR.toString())
                    .redirectErrorStream(true).redirectOutput(log).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!ready()) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("cloudmap-local did not start: " + Files.readString(log.toPath()));
                }
                Thread.sleep(100);
            }
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    static synchronized void startIfStopped() {
        if (process == null) {
            startProcess();
        }
    }

    static synchronized void stopProcess() {
        if (process != null) {
            process.destroy();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    /** Registers an instance with the attributes ECS sets for a task. */
    static void register(String instanceId, String address, String zone) {
        String[] hostPort = address.split(":");
        sdk.registerInstance(r -> r.serviceId(SERVICE_ID).instanceId(instanceId).attributes(Map.of(
                "AWS_INSTANCE_IPV4", hostPort[0], "AWS_INSTANCE_PORT", hostPort[1], "AVAILABILITY_ZONE", zone,
                "AWS_INIT_HEALTH_STATUS", "HEALTHY", "ECS_CLUSTER_NAME", "local",
                "ECS_SERVICE_NAME", "service-b", "ECS_TASK_DEFINITION_FAMILY", "service-b")));
    }

    static void deregister(String instanceId) {
        sdk.deregisterInstance(r -> r.serviceId(SERVICE_ID).instanceId(instanceId));
    }

    static void markUnhealthy(String instanceId) {
        sdk.updateInstanceCustomHealthStatus(r -> r.serviceId(SERVICE_ID).instanceId(instanceId)
                .status(CustomHealthStatus.UNHEALTHY));
    }

    static void deregisterAll() {
        sdk.listInstances(r -> r.serviceId(SERVICE_ID)).instances().forEach(i -> deregister(i.id()));
    }

    /** API calls cloudmap-local has answered, by operation (its /_local/calls page). */
    static long apiCalls() throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(endpoint() + "/_local/calls").toURL().openConnection();
        String body = new String(connection.getInputStream().readAllBytes());
        long total = 0;
        for (String operation : List.of("DiscoverInstances", "DiscoverInstancesRevision")) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + operation + "\":(\\d+)").matcher(body);
            total += m.find() ? Long.parseLong(m.group(1)) : 0;
        }
        return total;
    }

    private static boolean ready() {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(endpoint() + "/q/health/ready").toURL()
                    .openConnection();
            return connection.getResponseCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freeTcpPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freeUdpPort() {
        try (DatagramSocket socket = new DatagramSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
