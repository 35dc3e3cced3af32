package org.acme.fargate.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The architecture rules hold for every template, and each fails on a variant that breaks it. */
class ArchitectureRulesTest {

    private static final String SERVICE_A_MOUNTS = "            - { SourceVolume: service-a-tmp, ContainerPath: /tmp, ReadOnly: false }";

    private static final List<Function<JsonNode, List<String>>> RULES_FOR_EVERY_TEMPLATE = List.of(
            ArchitectureRules::tasksInPrivateSubnetsWithoutPublicIp,
            ArchitectureRules::noOpenIngressExceptLoadBalancer,
            ArchitectureRules::backendsReachableFromTheirCallersOnly,
            ArchitectureRules::noTwoContainersOnOnePort,
            ArchitectureRules::healthChecksNeedNoShell,
            ArchitectureRules::noWildcardActions,
            ArchitectureRules::collectorListensOnlyOnLocalhost,
            ArchitectureRules::everyAlarmIsDescribed);

    @ParameterizedTest
    @MethodSource("org.acme.fargate.infra.Templates#stacksAndAnotherBackend")
    void everyTemplateKeepsTheRules(String name) {
        JsonNode template = Templates.stack(name);
        for (var rule : RULES_FOR_EVERY_TEMPLATE) {
            assertEquals(List.of(), rule.apply(template), name);
        }
        if (!name.equals("network")) {
            assertEquals(List.of(), ArchitectureRules.loadBalancerAloneInPublicSubnets(template), name);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dns", "cloud-map", "service-connect"})
    void theWebTaskKeepsTheRulesInEveryDiscoveryMode(String mode) {
        JsonNode web = Templates.parsed(Templates.text("web"), Map.of("DiscoveryMode", mode));
        assertEquals(List.of(), ArchitectureRules.onlyTheSidecarPortIsMapped(web));
        assertEquals(List.of(), ArchitectureRules.dependsOnHealthyWithHealthChecks(web));
        assertEquals(List.of(), ArchitectureRules.noWildcardActions(web));
    }

    @Test
    void everyCallOfTheEnvironmentIsRegisteredAdmittedAndAllowed() {
        assertEquals(List.of(), ArchitectureRules.everyCallIsRegisteredAdmittedAndAllowed(Templates.environment()));
    }

    // --- Broken variants: each rule catches the mistake it exists for --------------------------------

    // What new-service writes outside the new module, each left out in turn (service-b stands for the new service).

    @Test
    void aCalledServiceWithoutItsStackIsCaught() {
        Map<String, JsonNode> environment = Templates.environment();
        environment.remove("service-b");
        assertCaught(environment, "service-b, which no stack registers in Cloud Map");
    }

    @Test
    void aCalledServiceThatAdmitsAnotherGroupIsCaught() {
        Map<String, JsonNode> environment = Templates.environment();
        Map<String, Object> parameters = new java.util.LinkedHashMap<>(Templates.parameters("service-b"));
        parameters.put("CallerSecurityGroupExport", "LoadBalancerFullName");
        environment.put("service-b", Templates.stack(Templates.text("service-b"), parameters));
        assertCaught(environment, "service-b's security group admits none of web's service-a's");
    }

    @Test
    void aCallerThatMayNotDiscoverItIsCaught() {
        Map<String, JsonNode> environment = Templates.environment();
        String web = Templates.text("web");
        Matcher permission = Pattern.compile("(\"servicediscovery:ServiceName\": \\[)([^]]*)]").matcher(web);
        assertTrue(permission.find(), "the variant applies to web");
        String others = Stream.of(permission.group(2).split(",\\s*")).filter(name -> !name.equals("service-b"))
                .collect(Collectors.joining(", "));
        environment.put("web", Templates.stack(web.replace(permission.group(),
                permission.group(1) + (others.isEmpty() ? "another" : others) + "]"), Map.of()));
        assertCaught(environment, "web's service-a's task role TaskRole may not discover service-b in Cloud Map");
    }

    @Test
    void aCallerWithoutTheCalledServicesKeyIsCaught() {
        Map<String, JsonNode> environment = Templates.environment();
        String web = Templates.text("web");
        String secret = "\"${EnvironmentName}-service-b-ApiKeySecretArn\"";
        assertTrue(web.contains(secret), "the variant applies to web");
        environment.put("web", Templates.stack(web.replace(secret, "\"${EnvironmentName}-another-ApiKeySecretArn\""), Map.of()));
        assertCaught(environment, "web's service-a reads SERVICE_B_API_KEY from fnr-another-ApiKeySecretArn, not service-b's key");
    }

    private static void assertCaught(Map<String, JsonNode> environment, String violation) {
        List<String> violations = ArchitectureRules.everyCallIsRegisteredAdmittedAndAllowed(environment);
        assertEquals(1, violations.size(), violations.toString());
        assertTrue(violations.get(0).contains(violation), violations.toString());
    }


    @Test
    void aServiceWithAPublicIpIsCaught() {
        assertBroken("web", "AssignPublicIp: DISABLED", "AssignPublicIp: ENABLED",
                ArchitectureRules::tasksInPrivateSubnetsWithoutPublicIp);
    }

    @Test
    void aServiceInThePublicSubnetsIsCaught() {
        String broken = Templates.text("service-b").replace("-PrivateSubnet", "-PublicSubnet");
        JsonNode template = Templates.parsed(broken, Map.of());
        assertFalse(ArchitectureRules.tasksInPrivateSubnetsWithoutPublicIp(template).isEmpty());
        assertFalse(ArchitectureRules.loadBalancerAloneInPublicSubnets(template).isEmpty());
    }

    @Test
    void aTaskPortOpenToTheInternetIsCaught() {
        assertBroken("platform", "      SourceSecurityGroupId: !Ref LoadBalancerSecurityGroup", "      CidrIp: 0.0.0.0/0",
                ArchitectureRules::noOpenIngressExceptLoadBalancer);
    }

    @Test
    void theLoadBalancerOpenOnAnotherPortIsCaught() {
        assertBroken("platform", "FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0", "FromPort: 0, ToPort: 65535, CidrIp: 0.0.0.0/0",
                ArchitectureRules::noOpenIngressExceptLoadBalancer);
    }

    @Test
    void aBackendOpenToACidrIsCaught() {
        assertBroken("service-b", "      SourceSecurityGroupId: { \"Fn::ImportValue\": !Sub \"${EnvironmentName}-${CallerSecurityGroupExport}\" }",
                "      CidrIp: 10.0.0.0/8", ArchitectureRules::backendsReachableFromTheirCallersOnly);
    }

    @Test
    void aBackendOpenOnMoreThanItsPortIsCaught() {
        assertBroken("service-b", "      ToPort: !Ref ContainerPort", "      ToPort: 65535",
                ArchitectureRules::backendsReachableFromTheirCallersOnly);
    }

    @Test
    void aBackendOnASharedGroupIsCaught() {
        assertBroken("service-b", "          SecurityGroups: [!Ref SecurityGroup]",
                "          SecurityGroups: [{ \"Fn::ImportValue\": !Sub \"${EnvironmentName}-WebSecurityGroupId\" }]",
                ArchitectureRules::backendsReachableFromTheirCallersOnly);
    }

    @Test
    void twoContainersOnOnePortAreCaught() {
        assertBroken("web", SERVICE_A_MOUNTS, SERVICE_A_MOUNTS + "\n          PortMappings:\n            - { ContainerPort: 8000, Protocol: tcp }",
                ArchitectureRules::noTwoContainersOnOnePort);
    }

    @Test
    void aMappedServiceAPortIsCaught() {
        assertBroken("web", SERVICE_A_MOUNTS, SERVICE_A_MOUNTS + "\n          PortMappings:\n            - { ContainerPort: 8080, Protocol: tcp }",
                ArchitectureRules::onlyTheSidecarPortIsMapped);
    }

    @Test
    void aSidecarThatDoesNotWaitForServiceAIsCaught() {
        assertBroken("web", "{ ContainerName: service-a, Condition: HEALTHY }", "{ ContainerName: service-a, Condition: START }",
                ArchitectureRules::dependsOnHealthyWithHealthChecks);
    }

    @Test
    void waitingForAContainerWithoutHealthCheckIsCaught() {
        String web = Templates.text("web");
        int serviceA = web.indexOf("        - Name: service-a\n");
        int healthCheck = web.indexOf("          HealthCheck:", serviceA);
        int stopTimeout = web.indexOf("          StopTimeout:", healthCheck);
        String broken = web.substring(0, healthCheck) + web.substring(stopTimeout);
        assertFalse(broken.substring(serviceA, broken.indexOf("        - !If\n          - TracingEnabled", serviceA)).contains("HealthCheck:"),
                "service-a lost its health check");
        List<String> violations = ArchitectureRules.dependsOnHealthyWithHealthChecks(Templates.parsed(broken, Map.of()));
        assertFalse(violations.isEmpty(), violations.toString());
    }

    @Test
    void aHealthCheckThroughTheShellIsCaught() {
        assertBroken("service-b", "              - CMD\n", "              - CMD-SHELL\n", ArchitectureRules::healthChecksNeedNoShell);
    }

    @Test
    void aWildcardActionIsCaught() {
        assertBroken("web", "Action: [servicediscovery:DiscoverInstances, servicediscovery:DiscoverInstancesRevision]",
                "Action: servicediscovery:*", ArchitectureRules::noWildcardActions);
    }

    @ParameterizedTest
    @ValueSource(strings = {"web", "service-b"})
    void aCollectorListeningOnEveryAddressIsCaught(String name) {
        assertBroken(name, "endpoint: 127.0.0.1:4317", "endpoint: 0.0.0.0:4317", ArchitectureRules::collectorListensOnlyOnLocalhost);
    }

    @Test
    void anAlarmWithoutADescriptionIsCaught() {
        String text = Templates.text("observability");
        int start = text.indexOf("      AlarmDescription:", text.indexOf("  UnhealthyWebTasksAlarm:"));
        int end = text.indexOf("      Namespace:", start);
        JsonNode broken = Templates.parsed(text.substring(0, start) + text.substring(end), Map.of());
        assertFalse(ArchitectureRules.everyAlarmIsDescribed(broken).isEmpty());
    }

    @Test
    void aWildcardInAnAttachedPolicyIsCaught() {
        assertBroken("web", "Action: [xray:PutTraceSegments,", "Action: [xray:*,", ArchitectureRules::noWildcardActions);
    }

    private static void assertBroken(String name, String original, String replacement, Function<JsonNode, List<String>> rule) {
        String text = Templates.text(name);
        assertFalse(!text.contains(original), "the variant applies to " + name + ": " + original);
        JsonNode broken = Templates.parsed(text.replace(original, replacement), Map.of());
        assertFalse(rule.apply(broken).isEmpty(), "the rule catches: " + replacement);
    }
}
