package org.acme.fargate.cloudmap;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryClient;
import software.amazon.awssdk.services.servicediscovery.model.CustomHealthStatus;
import software.amazon.awssdk.services.servicediscovery.model.DiscoverInstancesResponse;
import software.amazon.awssdk.services.servicediscovery.model.HealthStatusFilter;
import software.amazon.awssdk.services.servicediscovery.model.HttpInstanceSummary;
import software.amazon.awssdk.services.servicediscovery.model.InstanceNotFoundException;
import software.amazon.awssdk.services.servicediscovery.model.InvalidInputException;
import software.amazon.awssdk.services.servicediscovery.model.NamespaceNotFoundException;
import software.amazon.awssdk.services.servicediscovery.model.ServiceNotFoundException;

/** The real AWS SDK v2 against cloudmap-local over HTTP, as service-a and ECS use Cloud Map. */
@QuarkusTest
class CloudMapApiTest {

    static final String SERVICE_ID = "srv-serviceb00000001";

    @TestHTTPResource("/")
    URL endpoint;

    private ServiceDiscoveryClient cloudMap;

    @BeforeEach
    void client() throws Exception {
        cloudMap = ServiceDiscoveryClient.builder()
                .endpointOverride(URI.create(endpoint.toString()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create())
                // The SDK sends DiscoverInstances to "data-" + host; with an endpoint override that host is ours.
                .overrideConfiguration(c -> c.putAdvancedOption(SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true))
                .build();
    }

    @Inject
    Registry registry;

    @AfterEach
    void cleanUp() {
        cloudMap.close();
        resetTo(registry);
    }

    /** Back to what the templates create: no instance, no tag, every other service and namespace deleted. */
    static void resetTo(Registry registry) {
        for (RegisteredService service : registry.services()) {
            service.instances().forEach(instance -> service.deregister(instance.id()));
            if (!service.id().equals(SERVICE_ID)) {
                registry.deleteService(service.id());
            }
        }
        registry.namespaces().stream().filter(namespace -> !namespace.name().equals("shop.internal"))
                .forEach(namespace -> registry.deleteNamespace(namespace.id()));
        RegisteredService service = registry.serviceById(SERVICE_ID);
        service.update("Registered by ECS", List.of(new DnsRecord(DnsRecord.Type.SRV, 10), new DnsRecord(DnsRecord.Type.A, 10)));
        for (String arn : List.of(service.definition().arn(), service.definition().namespace().arn())) {
            registry.untag(arn, registry.tags(arn).keySet());
        }
    }

    static Map<String, String> ecsAttributes(String ip, int port, String zone, String initialHealth) {
        return Map.of("AWS_INSTANCE_IPV4", ip, "AWS_INSTANCE_PORT", String.valueOf(port), "AVAILABILITY_ZONE", zone,
                "AWS_INIT_HEALTH_STATUS", initialHealth, "ECS_CLUSTER_NAME", "fargate-networking",
                "ECS_SERVICE_NAME", "service-b", "ECS_TASK_DEFINITION_FAMILY", "service-b");
    }

    private void register(String id, String ip, String zone, String health) {
        cloudMap.registerInstance(r -> r.serviceId(SERVICE_ID).instanceId(id).creatorRequestId("ecs-" + id)
                .attributes(ecsAttributes(ip, 8080, zone, health)));
    }

    private DiscoverInstancesResponse discover(HealthStatusFilter filter) {
        return cloudMap.discoverInstances(r -> r.namespaceName("shop.internal").serviceName("service-b")
                .healthStatus(filter));
    }

    @Test
    void registeredInstancesAreDiscoveredWithTheirEcsAttributes() {
        register("task-1", "10.0.1.10", "us-east-1a", "HEALTHY");
        register("task-2", "10.0.2.10", "us-east-1b", "HEALTHY");
        DiscoverInstancesResponse found = discover(HealthStatusFilter.HEALTHY);
        assertEquals(List.of("task-1", "task-2"), found.instances().stream().map(HttpInstanceSummary::instanceId).toList());
        HttpInstanceSummary first = found.instances().get(0);
        assertEquals("10.0.1.10", first.attributes().get("AWS_INSTANCE_IPV4"));
        assertEquals("us-east-1a", first.attributes().get("AVAILABILITY_ZONE"));
        assertEquals("fargate-networking", first.attributes().get("ECS_CLUSTER_NAME"));
        assertEquals("HEALTHY", first.healthStatusAsString());
        assertEquals("ecs-task-1", cloudMap.getInstance(r -> r.serviceId(SERVICE_ID).instanceId("task-1"))
                .instance().creatorRequestId());
    }

    @Test
    void theRevisionMovesOnEveryChangeAndOnlyThen() {
        long start = cloudMap.discoverInstancesRevision(r -> r.namespaceName("shop.internal").serviceName("service-b"))
                .instancesRevision();
        register("task-1", "10.0.1.10", "us-east-1a", "HEALTHY");
        long afterRegister = discover(HealthStatusFilter.ALL).instancesRevision();
        assertTrue(afterRegister > start);
        assertEquals(afterRegister, discover(HealthStatusFilter.ALL).instancesRevision(), "reads do not move it");
        cloudMap.updateInstanceCustomHealthStatus(r -> r.serviceId(SERVICE_ID).instanceId("task-1")
                .status(CustomHealthStatus.UNHEALTHY));
        assertTrue(discover(HealthStatusFilter.ALL).instancesRevision() > afterRegister);
    }

    @Test
    void healthFiltersFollowTheCustomHealthStatus() {
        register("task-1", "10.0.1.10", "us-east-1a", "HEALTHY");
        register("task-2", "10.0.2.10", "us-east-1b", "UNHEALTHY");
        assertEquals(1, discover(HealthStatusFilter.HEALTHY).instances().size());
        assertEquals(1, discover(HealthStatusFilter.UNHEALTHY).instances().size());
        assertEquals(2, discover(HealthStatusFilter.ALL).instances().size());
        cloudMap.updateInstanceCustomHealthStatus(r -> r.serviceId(SERVICE_ID).instanceId("task-1")
                .status(CustomHealthStatus.UNHEALTHY));
        assertEquals(0, discover(HealthStatusFilter.HEALTHY).instances().size());
        assertEquals(2, discover(HealthStatusFilter.HEALTHY_OR_ELSE_ALL).instances().size(), "none healthy: all");
        assertEquals(Map.of("task-1", "UNHEALTHY", "task-2", "UNHEALTHY"),
                cloudMap.getInstancesHealthStatus(r -> r.serviceId(SERVICE_ID)).statusAsStrings());
    }

    @Test
    void queryParametersFilterAndOptionalParametersPreferWithoutExcluding() {
        register("task-1", "10.0.1.10", "us-east-1a", "HEALTHY");
        register("task-2", "10.0.2.10", "us-east-1b", "HEALTHY");
        assertEquals(List.of("task-2"), cloudMap.discoverInstances(r -> r.namespaceName("shop.internal")
                .serviceName("service-b").queryParameters(Map.of("AVAILABILITY_ZONE", "us-east-1b")))
                .instances().stream().map(HttpInstanceSummary::instanceId).toList());
        assertEquals(List.of("task-1"), cloudMap.discoverInstances(r -> r.namespaceName("shop.internal")
                .serviceName("service-b").optionalParameters(Map.of("AVAILABILITY_ZONE", "us-east-1a")))
                .instances().stream().map(HttpInstanceSummary::instanceId).toList());
        assertEquals(2, cloudMap.discoverInstances(r -> r.namespaceName("shop.internal").serviceName("service-b")
                .optionalParameters(Map.of("AVAILABILITY_ZONE", "us-east-1c"))).instances().size(),
                "no match for the optional parameters: all of them");
        assertEquals(1, cloudMap.discoverInstances(r -> r.namespaceName("shop.internal").serviceName("service-b")
                .maxResults(1)).instances().size());
        cloudMap.updateInstanceCustomHealthStatus(r -> r.serviceId(SERVICE_ID).instanceId("task-1")
                .status(CustomHealthStatus.UNHEALTHY));
        assertEquals(List.of("task-2"), cloudMap.discoverInstances(r -> r.namespaceName("shop.internal")
                .serviceName("service-b").optionalParameters(Map.of("AVAILABILITY_ZONE", "us-east-1a")))
                .instances().stream().map(HttpInstanceSummary::instanceId).toList(),
                "the preferred AZ has no healthy instance: the other AZ's");
    }

    @Test
    void deregisteredInstancesAreGone() {
        register("task-1", "10.0.1.10", "us-east-1a", "HEALTHY");
        cloudMap.deregisterInstance(r -> r.serviceId(SERVICE_ID).instanceId("task-1"));
        assertEquals(0, discover(HealthStatusFilter.ALL).instances().size());
        assertThrows(InstanceNotFoundException.class,
                () -> cloudMap.deregisterInstance(r -> r.serviceId(SERVICE_ID).instanceId("task-1")));
    }

    @Test
    void listsTheConfiguredNamespaceAndService() {
        assertEquals("shop.internal", cloudMap.listNamespaces(r -> { }).namespaces().get(0).name());
        assertEquals("DNS_PRIVATE", cloudMap.listNamespaces(r -> { }).namespaces().get(0).typeAsString());
        var service = cloudMap.listServices(r -> { }).services().get(0);
        assertEquals("service-b", service.name());
        assertEquals("MULTIVALUE", service.dnsConfig().routingPolicyAsString());
        assertEquals(10L, service.dnsConfig().dnsRecords().get(0).ttl());
    }

    @Test
    void errorsAreTheTypedExceptionsTheSdkKnows() {
        assertThrows(NamespaceNotFoundException.class, () -> cloudMap.discoverInstances(
                r -> r.namespaceName("nope.internal").serviceName("service-b")));
        assertThrows(ServiceNotFoundException.class, () -> cloudMap.discoverInstances(
                r -> r.namespaceName("shop.internal").serviceName("service-z")));
        assertThrows(ServiceNotFoundException.class, () -> cloudMap.listInstances(r -> r.serviceId("srv-nope")));
        assertThrows(InstanceNotFoundException.class, () -> cloudMap.getInstance(
                r -> r.serviceId(SERVICE_ID).instanceId("nope")));
        InvalidInputException noIp = assertThrows(InvalidInputException.class, () -> cloudMap.registerInstance(
                r -> r.serviceId(SERVICE_ID).instanceId("x").attributes(Map.of("AWS_INSTANCE_PORT", "8080"))));
        assertTrue(noIp.getMessage().contains("AWS_INSTANCE_IPV4"), noIp.getMessage());
        assertEquals(400, noIp.statusCode());
        assertThrows(InvalidInputException.class, () -> cloudMap.registerInstance(r -> r.serviceId(SERVICE_ID)
                .instanceId("x").attributes(ecsAttributes("999.1.1.1", 8080, "z", "HEALTHY"))));
    }

    @org.junit.jupiter.api.BeforeAll
    static void amzJsonIsJson() {
        io.restassured.RestAssured.registerParser("application/x-amz-json-1.1", io.restassured.parsing.Parser.JSON);
    }

    @Test
    void malformedRequestsGetAwsShapedErrorsAndLoseNothing() {
        register("task-1", "10.0.1.10", "us-east-1a", "HEALTHY");
        String target = "Route53AutoNaming_v20170314.";
        given().header("X-Amz-Target", target + "DiscoverInstances").body("{not json").post("/")
                .then().statusCode(400).header("x-amzn-ErrorType", "SerializationException")
                .body("__type", equalTo("SerializationException"));
        given().header("X-Amz-Target", target + "DiscoverInstances")
                .body("{\"NamespaceName\":\"shop.internal\",\"ServiceName\":\"service-b\",\"Colour\":\"red\"}")
                .post("/").then().statusCode(400).body("__type", equalTo("SerializationException"));
        given().header("X-Amz-Target", target + "RegisterInstance")
                .body("{\"ServiceId\":\"" + SERVICE_ID + "\",\"InstanceId\":\"t\",\"Attributes\":{\"AWS_INSTANCE_IPV4\":7}}")
                .post("/").then().statusCode(400).body("__type", equalTo("SerializationException"));
        given().header("X-Amz-Target", target + "DropAllTables").body("{}").post("/")
                .then().statusCode(400).body("__type", equalTo("UnknownOperationException"));
        given().body("{}").post("/").then().statusCode(400).body("__type", equalTo("UnknownOperationException"));
        given().header("X-Amz-Target", target + "RegisterInstance").body("{\"x\":\"" + "y".repeat(70_000) + "\"}")
                .post("/").then().statusCode(413).body("__type", equalTo("SerializationException"));
        given().header("X-Amz-Target", target + "DiscoverInstances").body("[1,2]").post("/")
                .then().statusCode(400).body("__type", equalTo("SerializationException"));
        assertEquals(1, discover(HealthStatusFilter.ALL).instances().size(), "the registration survived");
    }
}
