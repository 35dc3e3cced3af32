package org.acme.fargate.taskrunner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The templates of infra/templates, resolved as CloudFormation resolves them: what the local runs are made of. */
class TaskDefinitionsTest {

    private static final Path TEMPLATES = Path.of("..", "..", "infra", "templates").toAbsolutePath().normalize();

    private static TaskDefinitions.Task web(Map<String, String> parameters) {
        return TaskDefinitions.read(TEMPLATES.resolve("web.yaml"), parameters, TaskDefinitions.LOCAL_EXPORTS);
    }

    @Test
    void theTaskSizeParameterSetsTheTasksCpuAndMemory() {
        TaskDefinitions.Task task = web(Map.of("TaskSize", "256-512"));
        assertEquals(256, task.cpu());
        assertEquals(512, task.memory());
        assertEquals("fnr-web", task.family());
    }

    @Test
    void containersTakeParametersAndOtherStacksExportsThroughSubRefAndImportValue() {
        TaskDefinitions.Task task = web(Map.of("DiscoveryMode", "cloud-map"));
        Map<String, String> environment = task.container("service-a").environment();
        assertEquals("cloud-map", environment.get("SERVICE_B_DISCOVERY"));
        assertEquals("service-b.shop.internal", environment.get("SERVICE_B_DNS_NAME"));
        assertEquals("shop.internal", environment.get("SERVICE_B_NAMESPACE"));
        assertEquals(List.of(8000), task.container("frontend-sidecar").ports());
        assertEquals(List.of(), task.container("service-a").ports(), "service-a is reachable from its task only");
    }

    @Test
    void aSecretIsItsArnNeverItsValueAndBothSidesOfACallReadTheSameOne() {
        // web.yaml imports service-b's export: read from the output of the service-b stack of infra/stacks.
        String key = LocalSecrets.arn("fnr/service-b/api-key");
        assertEquals(Map.of("SERVICE_B_API_KEY", key), web(Map.of()).container("service-a").secrets());
        assertEquals(Map.of(), web(Map.of()).container("frontend-sidecar").secrets());
        Stack serviceB = Stack.all(TEMPLATES.resolveSibling("stacks")).stream().filter(s -> s.name().equals("service-b")).findFirst().orElseThrow();
        TaskDefinitions.Container container = TaskDefinitions.read(TEMPLATES.resolve("backend-service.yaml"), serviceB.parameters(),
                TaskDefinitions.LOCAL_EXPORTS).container("service-b");
        assertEquals(Map.of("API_KEY", key), container.secrets());
        assertTrue(container.environment().keySet().stream().noneMatch(name -> name.contains("KEY")), "never a plain variable");
    }

    @Test
    void healthChecksDependenciesAndStopTimeoutsAreTheTemplates() {
        TaskDefinitions.Task task = web(Map.of());
        TaskDefinitions.Container sidecar = task.container("frontend-sidecar");
        assertEquals(List.of(new TaskDefinitions.Dependency("service-a", "HEALTHY")), sidecar.dependsOn());
        assertEquals(List.of("CMD", "/bin/bash", "-c"), sidecar.healthCheck().command().subList(0, 3));
        assertTrue(sidecar.readOnlyRoot() && sidecar.essential());
        assertEquals("185", sidecar.user());
        assertEquals(30, sidecar.stopTimeout());
    }

    @Test
    void aContainerBehindAConditionIsThereOnlyWhenTheConditionHolds() {
        TaskDefinitions.Task untraced = web(Map.of());
        assertEquals(List.of("frontend-sidecar", "service-a"), untraced.containers().stream().map(TaskDefinitions.Container::name).toList());
        assertEquals("none", untraced.container("service-a").environment().get("TRACING_EXPORTER"));
        TaskDefinitions.Task traced = web(Map.of("Tracing", "enabled"));
        assertEquals(List.of("frontend-sidecar", "service-a", "otel-collector"),
                traced.containers().stream().map(TaskDefinitions.Container::name).toList());
        assertEquals("otlp", traced.container("frontend-sidecar").environment().get("TRACING_EXPORTER"));
        TaskDefinitions.Container collector = traced.container("otel-collector");
        assertTrue(!collector.essential() && collector.dependsOn().isEmpty(), "a collector failure stops nothing");
        assertEquals("public.ecr.aws/aws-observability/aws-otel-collector:v0.49.0", collector.image());
    }

    @Test
    void anImageParameterLeftUnsetIsTheLocalImage() {
        assertEquals("localhost/fnr/service-a:local", web(Map.of()).container("service-a").image());
        String pushed = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/fnr/service-a:1";
        assertEquals(pushed, web(Map.of("ServiceAImageUri", pushed)).container("service-a").image());
    }

    @Test
    void aValueTheTemplateDoesNotAllowIsRefused() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> web(Map.of("TaskSize", "100-100")));
        assertTrue(refused.getMessage().contains("TaskSize: 100-100 is not one of"), refused.getMessage());
    }

    @Test
    void anExportNoStackProvidesIsNamed() {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> TaskDefinitions.read(TEMPLATES.resolve("web.yaml"), Map.of("EnvironmentName", "other"), Map.of()));
        assertTrue(missing.getMessage().contains("no export other-NamespaceName"), missing.getMessage());
    }

    @Test
    void eachServicesSecurityGroupIsFollowedToTheStackThatOwnsIt() {
        List<SecurityGroups.SecurityGroup> web = SecurityGroups.of(TEMPLATES.resolve("web.yaml"), Map.of(),
                TEMPLATES.resolve("platform.yaml"));
        assertEquals(List.of("fnr-web"), web.stream().map(SecurityGroups.SecurityGroup::name).toList(), "platform.yaml's, by import");
        SecurityGroups.Ingress fromLoadBalancer = web.get(0).ingress().get(0);
        assertEquals(List.of("tcp", 8000, 8000, "fnr-alb"), List.of(fromLoadBalancer.protocol(),
                fromLoadBalancer.fromPort(), fromLoadBalancer.toPort(), fromLoadBalancer.sourceGroup()));
        assertEquals(1, web.get(0).ingress().size(), "nothing else reaches the web tasks");

        List<SecurityGroups.SecurityGroup> serviceB = SecurityGroups.of(TEMPLATES.resolve("backend-service.yaml"),
                Map.of("ServiceName", "service-b"), TEMPLATES.resolve("platform.yaml"));
        assertEquals("fnr-service-b", serviceB.get(0).name(), "its own stack's group");
        assertEquals(List.of(new SecurityGroups.Ingress("service-b from its callers", "tcp", 8080, 8080, "fnr-web", null)),
                serviceB.get(0).ingress(), "the web tasks, by platform.yaml's export, on the container port only");

        List<SecurityGroups.SecurityGroup> other = SecurityGroups.of(TEMPLATES.resolve("backend-service.yaml"),
                Map.of("ServiceName", "inventory", "ContainerPort", "9000"), TEMPLATES.resolve("platform.yaml"));
        assertEquals("fnr-inventory", other.get(0).name());
        assertEquals(9000, other.get(0).ingress().get(0).fromPort());
    }

    @Test
    void theServicesDeploymentSettingsAndItsRecordsTtlAreTheTemplates() {
        EcsServices.EcsService serviceB = EcsServices.of(TEMPLATES.resolve("backend-service.yaml"),
                Map.of("ServiceName", "service-b", "DnsTtlSeconds", "30"));
        assertEquals(new EcsServices.EcsService("service-b", 100, 200, true, 30, 0, null), serviceB);
        EcsServices.EcsService web = EcsServices.of(TEMPLATES.resolve("web.yaml"), Map.of("SlowStartSeconds", "30"));
        assertEquals(0, web.dnsTtl(), "the web tasks are not in Cloud Map");
        assertEquals(60, web.healthCheckGracePeriodSeconds());
        assertEquals(new EcsServices.TargetGroup("frontend-sidecar", 8000, "/q/health/ready", 10, 5, 2, 3, 20, 30), web.targetGroup());
    }

    @Test
    void theStackListNamesTheServicesInDeployOrderWithTheirParameters() {
        Path stacks = TEMPLATES.resolveSibling("stacks");
        assertEquals(List.of("network", "platform", "service-b", "web", "observability"),
                Stack.all(stacks).stream().map(Stack::name).toList());
        assertEquals(List.of(new Stack("service-b", "backend-service", Map.of("ServiceName", "service-b")),
                new Stack("web", "web", Map.of())), Stack.services(stacks));
        TaskDefinitions.Task serviceB = TaskDefinitions.read(Stack.services(stacks).get(0).templateFile(TEMPLATES),
                Stack.services(stacks).get(0).parameters(), TaskDefinitions.LOCAL_EXPORTS);
        assertEquals("fnr-service-b", serviceB.family());
        assertEquals("8080", serviceB.container("service-b").environment().get("QUARKUS_HTTP_PORT"));
        assertEquals("localhost/fnr/service-b:local", serviceB.container("service-b").image(), "the module's image");
    }

    @Test
    void onlyTheSidecarsPortIsBehindTheLoadBalancer() {
        assertEquals(List.of(8000), EcsServices.loadBalancedPorts(TEMPLATES.resolve("web.yaml")));
    }
}
