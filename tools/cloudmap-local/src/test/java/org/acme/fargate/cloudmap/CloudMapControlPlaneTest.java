package org.acme.fargate.cloudmap;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.parsing.Parser;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryClient;
import software.amazon.awssdk.services.servicediscovery.model.CustomHealthNotFoundException;
import software.amazon.awssdk.services.servicediscovery.model.CustomHealthStatus;
import software.amazon.awssdk.services.servicediscovery.model.DnsRecord;
import software.amazon.awssdk.services.servicediscovery.model.GetOperationResponse;
import software.amazon.awssdk.services.servicediscovery.model.InvalidInputException;
import software.amazon.awssdk.services.servicediscovery.model.ListInstancesResponse;
import software.amazon.awssdk.services.servicediscovery.model.NamespaceFilterName;
import software.amazon.awssdk.services.servicediscovery.model.OperationFilterName;
import software.amazon.awssdk.services.servicediscovery.model.OperationNotFoundException;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;
import software.amazon.awssdk.services.servicediscovery.model.OperationTargetType;
import software.amazon.awssdk.services.servicediscovery.model.OperationType;
import software.amazon.awssdk.services.servicediscovery.model.RecordType;
import software.amazon.awssdk.services.servicediscovery.model.ResourceInUseException;
import software.amazon.awssdk.services.servicediscovery.model.ResourceNotFoundException;
import software.amazon.awssdk.services.servicediscovery.model.RoutingPolicy;
import software.amazon.awssdk.services.servicediscovery.model.Service;
import software.amazon.awssdk.services.servicediscovery.model.ServiceAlreadyExistsException;
import software.amazon.awssdk.services.servicediscovery.model.Tag;

/** Namespaces, services, operations and tags through the real AWS SDK, as a learner or CloudFormation uses them. */
@QuarkusTest
class CloudMapControlPlaneTest {

    static final String NAMESPACE_ID = "ns-shopinternal00001";

    @TestHTTPResource("/")
    URL endpoint;

    @Inject
    Registry registry;

    private ServiceDiscoveryClient cloudMap;

    @BeforeAll
    static void amzJsonIsJson() {
        RestAssured.registerParser(CloudMapApi.CONTENT_TYPE, Parser.JSON);
    }

    @BeforeEach
    void client() {
        cloudMap = ServiceDiscoveryClient.builder()
                .endpointOverride(URI.create(endpoint.toString()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @AfterEach
    void cleanUp() {
        cloudMap.close();
        CloudMapApiTest.resetTo(registry);
    }

    static Service createService(ServiceDiscoveryClient cloudMap, String name, RoutingPolicy policy, boolean customHealth,
            DnsRecord... records) {
        return cloudMap.createService(r -> {
            r.name(name).namespaceId(NAMESPACE_ID).dnsConfig(d -> d.routingPolicy(policy).dnsRecords(records));
            if (customHealth) {
                r.healthCheckCustomConfig(h -> { });
            }
        }).service();
    }

    static DnsRecord record(RecordType type, long ttl) {
        return DnsRecord.builder().type(type).ttl(ttl).build();
    }

    @Test
    void getServiceDescribesTheTemplatesService() {
        Service service = cloudMap.getService(r -> r.id(CloudMapApiTest.SERVICE_ID)).service();
        assertEquals("service-b", service.name());
        assertEquals(NAMESPACE_ID, service.namespaceId());
        assertEquals(RoutingPolicy.MULTIVALUE, service.dnsConfig().routingPolicy());
        assertEquals(List.of(RecordType.SRV, RecordType.A),
                service.dnsConfig().dnsRecords().stream().map(DnsRecord::type).toList());
        assertEquals(1, service.healthCheckCustomConfig().failureThreshold());
        assertNotNull(service.createDate());
    }

    @Test
    void aNamespaceIsCreatedByAnOperationThatCompletesAndCanBeReadAndDeleted() {
        String operationId = cloudMap.createPrivateDnsNamespace(r -> r.name("lab.internal").vpc("vpc-0a1b2c3d")
                .properties(p -> p.dnsProperties(d -> d.soa(s -> s.ttl(30L))))).operationId();
        GetOperationResponse operation = cloudMap.getOperation(r -> r.operationId(operationId));
        assertEquals(OperationStatus.SUCCESS, operation.operation().status());
        assertEquals(OperationType.CREATE_NAMESPACE, operation.operation().type());
        String namespaceId = operation.operation().targets().get(OperationTargetType.NAMESPACE);

        var namespace = cloudMap.getNamespace(r -> r.id(namespaceId)).namespace();
        assertEquals("lab.internal", namespace.name());
        assertEquals(30L, namespace.properties().dnsProperties().soa().ttl());
        assertEquals(List.of("lab.internal"), cloudMap.listNamespaces(r -> r.filters(f -> f.name(NamespaceFilterName.NAME)
                .values("lab.internal"))).namespaces().stream().map(n -> n.name()).toList());

        String serviceId = cloudMap.createService(r -> r.name("api").namespaceId(namespaceId)
                .dnsConfig(d -> d.dnsRecords(record(RecordType.A, 60)))).service().id();
        assertThrows(ResourceInUseException.class, () -> cloudMap.deleteNamespace(r -> r.id(namespaceId)));
        cloudMap.deleteService(r -> r.id(serviceId));
        String deletion = cloudMap.deleteNamespace(r -> r.id(namespaceId)).operationId();
        assertEquals(OperationType.DELETE_NAMESPACE, cloudMap.getOperation(r -> r.operationId(deletion)).operation().type());
        assertThrows(OperationNotFoundException.class, () -> cloudMap.getOperation(r -> r.operationId("nope")));
    }

    @Test
    void servicesAreUniqueByNameAndUpdateChangesTtlsButNotRecordTypes() {
        Service weighted = createService(cloudMap, "weighted", RoutingPolicy.WEIGHTED, true, record(RecordType.A, 60));
        ServiceAlreadyExistsException duplicate = assertThrows(ServiceAlreadyExistsException.class,
                () -> createService(cloudMap, "weighted", RoutingPolicy.MULTIVALUE, true, record(RecordType.A, 60)));
        assertEquals(weighted.id(), duplicate.serviceId());

        cloudMap.updateService(r -> r.id(weighted.id()).service(s -> s.description("after the lab")
                .dnsConfig(d -> d.dnsRecords(record(RecordType.A, 5)))));
        Service updated = cloudMap.getService(r -> r.id(weighted.id())).service();
        assertEquals(5L, updated.dnsConfig().dnsRecords().get(0).ttl());
        assertEquals("after the lab", updated.description());
        assertThrows(InvalidInputException.class, () -> cloudMap.updateService(r -> r.id(weighted.id())
                .service(s -> s.dnsConfig(d -> d.dnsRecords(record(RecordType.SRV, 5))))));
        assertThrows(InvalidInputException.class, () -> createService(cloudMap, "alias", RoutingPolicy.MULTIVALUE, false,
                record(RecordType.CNAME, 60)));
        assertEquals(List.of(OperationType.UPDATE_SERVICE), cloudMap.listOperations(r -> r.filters(
                f -> f.name(OperationFilterName.SERVICE_ID).values(weighted.id()))).operations().stream()
                .map(summary -> cloudMap.getOperation(g -> g.operationId(summary.id())).operation().type()).toList());
    }

    @Test
    void deletingAServiceWithInstancesIsRefused() {
        cloudMap.registerInstance(r -> r.serviceId(CloudMapApiTest.SERVICE_ID).instanceId("task-1")
                .attributes(CloudMapApiTest.ecsAttributes("10.0.1.10", 8080, "us-east-1a", "HEALTHY")));
        assertThrows(ResourceInUseException.class, () -> cloudMap.deleteService(r -> r.id(CloudMapApiTest.SERVICE_ID)));
    }

    @Test
    void customHealthNeedsAServiceCreatedWithIt() {
        Service plain = createService(cloudMap, "plain", RoutingPolicy.MULTIVALUE, false, record(RecordType.A, 60));
        cloudMap.registerInstance(r -> r.serviceId(plain.id()).instanceId("task-1")
                .attributes(CloudMapApiTest.ecsAttributes("10.0.1.10", 8080, "us-east-1a", "UNHEALTHY")));
        assertEquals("HEALTHY", cloudMap.getInstancesHealthStatus(r -> r.serviceId(plain.id())).statusAsStrings().get("task-1"),
                "without a health check configuration every instance is healthy");
        assertThrows(CustomHealthNotFoundException.class, () -> cloudMap.updateInstanceCustomHealthStatus(
                r -> r.serviceId(plain.id()).instanceId("task-1").status(CustomHealthStatus.UNHEALTHY)));
    }

    @Test
    void registrationsFollowTheServicesRecordTypes() {
        Service ipv6 = createService(cloudMap, "ipv6", RoutingPolicy.MULTIVALUE, false, record(RecordType.AAAA, 60));
        InvalidInputException noIpv6 = assertThrows(InvalidInputException.class, () -> cloudMap.registerInstance(
                r -> r.serviceId(ipv6.id()).instanceId("t").attributes(Map.of("AWS_INSTANCE_IPV4", "10.0.0.1"))));
        assertTrue(noIpv6.getMessage().contains("AWS_INSTANCE_IPV6"), noIpv6.getMessage());
        cloudMap.registerInstance(r -> r.serviceId(ipv6.id()).instanceId("t").attributes(Map.of("AWS_INSTANCE_IPV6", "2001:db8::1")));

        InvalidInputException emptyLabel = assertThrows(InvalidInputException.class, () -> cloudMap.registerInstance(
                r -> r.serviceId(CloudMapApiTest.SERVICE_ID).instanceId("a..b")
                        .attributes(CloudMapApiTest.ecsAttributes("10.0.0.1", 8080, "z", "HEALTHY"))));
        assertTrue(emptyLabel.getMessage().contains("DNS name"), emptyLabel.getMessage());
        assertThrows(InvalidInputException.class, () -> cloudMap.registerInstance(r -> r.serviceId(CloudMapApiTest.SERVICE_ID)
                .instanceId("x".repeat(64)).attributes(CloudMapApiTest.ecsAttributes("10.0.0.1", 8080, "z", "HEALTHY"))));
    }

    @Test
    void tagsAreKeptPerResource() {
        String arn = cloudMap.getService(r -> r.id(CloudMapApiTest.SERVICE_ID)).service().arn();
        cloudMap.tagResource(r -> r.resourceARN(arn).tags(Tag.builder().key("team").value("pricing").build(),
                Tag.builder().key("env").value("lab").build()));
        cloudMap.untagResource(r -> r.resourceARN(arn).tagKeys("env"));
        assertEquals(Map.of("team", "pricing"), cloudMap.listTagsForResource(r -> r.resourceARN(arn)).tags().stream()
                .collect(Collectors.toMap(Tag::key, Tag::value)));
        assertThrows(ResourceNotFoundException.class, () -> cloudMap.listTagsForResource(r -> r.resourceARN(arn + "x")));
    }

    @Test
    void listingsArePagedWithTheTokenTheyReturn() {
        IntStream.rangeClosed(1, 3).forEach(i -> cloudMap.registerInstance(r -> r.serviceId(CloudMapApiTest.SERVICE_ID)
                .instanceId("task-" + i).attributes(CloudMapApiTest.ecsAttributes("10.0.0." + i, 8080, "z", "HEALTHY"))));
        ListInstancesResponse first = cloudMap.listInstances(r -> r.serviceId(CloudMapApiTest.SERVICE_ID).maxResults(2));
        assertEquals(2, first.instances().size());
        ListInstancesResponse second = cloudMap.listInstances(r -> r.serviceId(CloudMapApiTest.SERVICE_ID)
                .maxResults(2).nextToken(first.nextToken()));
        assertEquals(List.of("task-3"), second.instances().stream().map(i -> i.id()).toList());
        assertEquals(null, second.nextToken());
        assertEquals(3, cloudMap.listInstancesPaginator(r -> r.serviceId(CloudMapApiTest.SERVICE_ID).maxResults(1))
                .stream().mapToLong(page -> page.instances().size()).sum(), "the SDK's paginator walks every page");
    }

    @Test
    void formsAndUploadsAreClientMistakesAndNothingIsWrittenToDisk() {
        String target = "Route53AutoNaming_v20170314.ListServices";
        String manyFields = IntStream.range(0, 300).mapToObj(i -> "f" + i + "=v").collect(Collectors.joining("&"));
        given().header("X-Amz-Target", target).contentType("application/x-www-form-urlencoded").body(manyFields)
                .post("/").then().statusCode(400).body("__type", equalTo("SerializationException"));
        given().header("X-Amz-Target", target).multiPart("file", "upload.bin", new byte[4096]).post("/")
                .then().statusCode(400).body("__type", equalTo("SerializationException"));
        assertFalse(Files.exists(Path.of("file-uploads")), "no upload kept on disk");
        assertEquals(1, cloudMap.listServices(r -> { }).services().size(), "it keeps answering");
    }
}
