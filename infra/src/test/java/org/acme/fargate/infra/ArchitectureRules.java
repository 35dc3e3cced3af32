package org.acme.fargate.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The network architecture this reference promises, as rules over the synthesized templates. Each returns
 * the violations it finds (empty when the rule holds), so that a test can show both a clean run and a
 * broken variant.
 */
final class ArchitectureRules {

    private ArchitectureRules() {
    }

    /** Every ECS service runs in the private subnets with no public IP. */
    static List<String> tasksInPrivateSubnetsWithoutPublicIp(JsonNode template) {
        List<String> violations = new ArrayList<>();
        eachResource(template, "AWS::ECS::Service", (id, properties) -> {
            JsonNode vpc = properties.path("NetworkConfiguration").path("AwsvpcConfiguration");
            if (!"DISABLED".equals(vpc.path("AssignPublicIp").asText())) {
                violations.add(id + " does not disable public IPs");
            }
            String subnets = vpc.path("Subnets").toString();
            if (!subnets.contains("-PrivateSubnet") || subnets.contains("-PublicSubnet")) {
                violations.add(id + " is not placed in the private subnets only: " + subnets);
            }
        });
        return violations;
    }

    /** Outside the network stack, only the load balancer is placed in the public subnets. */
    static List<String> loadBalancerAloneInPublicSubnets(JsonNode template) {
        List<String> violations = new ArrayList<>();
        template.path("Resources").fields().forEachRemaining(entry -> {
            String type = entry.getValue().path("Type").asText();
            if (entry.getValue().path("Properties").toString().contains("-PublicSubnet")
                    && !type.equals("AWS::ElasticLoadBalancingV2::LoadBalancer")) {
                violations.add(entry.getKey() + " (" + type + ") is placed in the public subnets");
            }
        });
        return violations;
    }

    /** No ingress from anywhere, except the load balancer's security group on 80 and 443. */
    static List<String> noOpenIngressExceptLoadBalancer(JsonNode template) {
        List<String> violations = new ArrayList<>();
        eachIngress(template, (group, rule) -> {
            boolean open = "0.0.0.0/0".equals(rule.path("CidrIp").asText()) || "::/0".equals(rule.path("CidrIpv6").asText());
            boolean webPort = rule.path("FromPort").asInt() == rule.path("ToPort").asInt()
                    && Set.of(80, 443).contains(rule.path("FromPort").asInt());
            if (open && !(group.equals("LoadBalancerSecurityGroup") && webPort)) {
                violations.add(group + " is open to the internet: " + rule);
            }
        });
        return violations;
    }

    /**
     * A backend service (an ECS service registered in Cloud Map) attaches a security group of its own stack that
     * admits the registered port from its callers' security group, and nothing else: no CIDR, no other port.
     */
    static List<String> backendsReachableFromTheirCallersOnly(JsonNode template) {
        List<String> violations = new ArrayList<>();
        eachResource(template, "AWS::ECS::Service", (id, properties) -> {
            JsonNode port = properties.path("ServiceRegistries").path(0).path("Port");
            if (port.isMissingNode()) {
                return;
            }
            List<String> ownGroups = new ArrayList<>();
            properties.path("NetworkConfiguration").path("AwsvpcConfiguration").path("SecurityGroups")
                    .forEach(group -> ownGroups.add(group.path("Ref").asText(null)));
            if (ownGroups.contains(null) || ownGroups.isEmpty()) {
                violations.add(id + " attaches a security group its stack does not own: " + ownGroups);
            }
            Map<String, Integer> admitted = new HashMap<>();
            eachIngress(template, (group, rule) -> {
                if (!ownGroups.contains(group)) {
                    return;
                }
                admitted.merge(group, 1, Integer::sum);
                if (!rule.has("SourceSecurityGroupId") || rule.has("CidrIp") || rule.has("CidrIpv6")
                        || !rule.path("FromPort").equals(port) || !rule.path("ToPort").equals(port)) {
                    violations.add(group + " admits more than its port " + port + " from a caller's group: " + rule);
                }
            });
            ownGroups.stream().filter(group -> group != null && !admitted.containsKey(group))
                    .forEach(group -> violations.add(group + " admits no one"));
        });
        return violations;
    }

    /**
     * Every call a task makes is to a service of the environment that lets it in. A container calls a service when
     * its environment has {@code <PREFIX>_DISCOVERY} (the convention its REST client's configuration and the local
     * runner read: {@code SERVICE_B_} calls service-b); then a stack registers that name in Cloud Map, that service's
     * security group admits a security group the caller's ECS service attaches, and the caller's task role may
     * discover that name (the {@code servicediscovery:ServiceName} condition of its DiscoverInstances permission), and
     * the caller reads {@code <PREFIX>_API_KEY} from the secret the called stack exports, the one the called container
     * reads as {@code API_KEY}. These are the four parts new-service writes outside the new module, so a fork that lost
     * one is caught here.
     */
    static List<String> everyCallIsRegisteredAdmittedAndAllowed(Map<String, JsonNode> stacks) {
        List<String> violations = new ArrayList<>();
        Map<String, JsonNode> registered = new HashMap<>();
        stacks.values().forEach(template -> eachResource(template, "AWS::ServiceDiscovery::Service",
                (id, properties) -> registered.put(properties.path("Name").asText(), template)));
        stacks.forEach((stack, template) -> eachResource(template, "AWS::ECS::TaskDefinition", (id, task) -> {
            Set<String> callerGroups = new HashSet<>();
            eachResource(template, "AWS::ECS::Service", (service, properties) -> properties.path("NetworkConfiguration")
                    .path("AwsvpcConfiguration").path("SecurityGroups").forEach(group -> callerGroups.add(group.toString())));
            for (JsonNode container : containers(task)) {
                for (JsonNode variable : container.path("Environment")) {
                    String name = variable.path("Name").asText();
                    if (!name.endsWith("_DISCOVERY")) {
                        continue;
                    }
                    String called = name.substring(0, name.length() - "_DISCOVERY".length()).toLowerCase().replace('_', '-');
                    String caller = stack + "'s " + container.path("Name").asText();
                    JsonNode backend = registered.get(called);
                    if (backend == null) {
                        violations.add(caller + " calls " + called + ", which no stack registers in Cloud Map");
                        continue;
                    }
                    List<String> admitted = new ArrayList<>();
                    eachIngress(backend, (group, rule) -> admitted.add(rule.path("SourceSecurityGroupId").toString()));
                    if (admitted.stream().noneMatch(callerGroups::contains)) {
                        violations.add(called + "'s security group admits none of " + caller + "'s " + callerGroups + ": " + admitted);
                    }
                    // The role may be conditional (web's is there only when a mode needs it): the one it names.
                    JsonNode roleArn = task.path("TaskRoleArn").findValue("Fn::GetAtt");
                    String role = roleArn == null ? "(none)" : roleArn.isArray() ? roleArn.path(0).asText() : roleArn.asText().split("\\.")[0];
                    if (!mayDiscover(template, role, called)) {
                        violations.add(caller + "'s task role " + role + " may not discover " + called + " in Cloud Map");
                    }
                    String keyVariable = name.replace("_DISCOVERY", "_API_KEY");
                    String keyExport = apiKeyExport(backend);
                    JsonNode imported = secret(container, keyVariable).path("Fn::ImportValue");
                    String sent = imported.path("Fn::Sub").asText(imported.asText());
                    if (keyExport == null) {
                        violations.add(called + "'s container reads no API_KEY secret its stack exports for its callers");
                    } else if (!keyExport.equals(sent)) {
                        violations.add(caller + " reads " + keyVariable + " from " + (sent.isEmpty() ? "no export" : sent)
                                + ", not " + called + "'s key (" + keyExport + ")");
                    }
                }
            }
        }));
        return violations;
    }

    /** The export of the secret a backend's container reads as API_KEY (the key its callers must send), or null. */
    private static String apiKeyExport(JsonNode backend) {
        String[] export = {null};
        eachResource(backend, "AWS::ECS::TaskDefinition", (id, task) -> {
            for (JsonNode container : containers(task)) {
                String resource = secret(container, "API_KEY").path("Ref").asText();
                backend.path("Outputs").forEach(output -> {
                    if (!resource.isEmpty() && output.path("Value").equals(ref(resource))) {
                        JsonNode name = output.path("Export").path("Name");
                        export[0] = name.path("Fn::Sub").asText(name.asText());
                    }
                });
            }
        });
        return export[0];
    }

    /** The valueFrom of a container's secret, or a missing node. */
    private static JsonNode secret(JsonNode container, String variable) {
        for (JsonNode secret : container.path("Secrets")) {
            if (variable.equals(secret.path("Name").asText())) {
                return secret.path("ValueFrom");
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static boolean mayDiscover(JsonNode template, String role, String service) {
        boolean[] allowed = {false};
        eachResource(template, "AWS::IAM::Policy", (id, policy) -> {
            if (!policy.path("Roles").toString().contains("{\"Ref\":\"" + role + "\"}")) {
                return;
            }
            for (JsonNode statement : policy.path("PolicyDocument").path("Statement")) {
                if ("Allow".equals(statement.path("Effect").asText())
                        && statement.path("Action").toString().contains("\"servicediscovery:DiscoverInstances\"")) {
                    for (JsonNode name : statement.path("Condition").path("StringEquals").path("servicediscovery:ServiceName")) {
                        allowed[0] |= name.asText().equals(service);
                    }
                }
            }
        });
        return allowed[0];
    }

    /** No two containers of one task map the same port. */
    static List<String> noTwoContainersOnOnePort(JsonNode template) {
        List<String> violations = new ArrayList<>();
        eachResource(template, "AWS::ECS::TaskDefinition", (id, properties) -> {
            Set<Integer> ports = new HashSet<>();
            for (JsonNode container : containers(properties)) {
                for (JsonNode mapping : container.path("PortMappings")) {
                    if (!ports.add(mapping.path("ContainerPort").asInt())) {
                        violations.add(id + ": port " + mapping.path("ContainerPort") + " is mapped twice");
                    }
                }
            }
        });
        return violations;
    }

    /**
     * Health checks run a program by path (CMD), never through {@code /bin/sh} (CMD-SHELL): {@code /bin/sh} is bash on
     * the production base and dash on the local one (images/README.md), so a CMD-SHELL check can pass in one and
     * fail in the other.
     */
    static List<String> healthChecksNeedNoShell(JsonNode template) {
        List<String> violations = new ArrayList<>();
        eachResource(template, "AWS::ECS::TaskDefinition", (id, properties) -> {
            for (JsonNode container : containers(properties)) {
                JsonNode command = container.path("HealthCheck").path("Command");
                if (!command.isMissingNode() && !"CMD".equals(command.path(0).asText())) {
                    violations.add(id + ": " + container.path("Name").asText() + "'s health check runs " + command.path(0).asText());
                }
            }
        });
        return violations;
    }

    /** In the web task, only the sidecar's port 8000 is mapped: service-a has no port reachable from outside. */
    static List<String> onlyTheSidecarPortIsMapped(JsonNode webTemplate) {
        List<String> violations = new ArrayList<>();
        eachResource(webTemplate, "AWS::ECS::TaskDefinition", (id, properties) -> {
            for (JsonNode container : containers(properties)) {
                String name = container.path("Name").asText();
                for (JsonNode mapping : container.path("PortMappings")) {
                    if (!name.equals("frontend-sidecar") || mapping.path("ContainerPort").asInt() != 8000) {
                        violations.add(id + ": " + name + " maps port " + mapping.path("ContainerPort"));
                    }
                }
            }
        });
        return violations;
    }

    /** A container waits for another to be HEALTHY only if that one has a health check; the sidecar waits for service-a. */
    static List<String> dependsOnHealthyWithHealthChecks(JsonNode webTemplate) {
        List<String> violations = new ArrayList<>();
        eachResource(webTemplate, "AWS::ECS::TaskDefinition", (id, properties) -> {
            Map<String, JsonNode> containers = new HashMap<>();
            containers(properties).forEach(c -> containers.put(c.path("Name").asText(), c));
            boolean sidecarWaits = false;
            for (JsonNode container : containers.values()) {
                for (JsonNode dependency : container.path("DependsOn")) {
                    String target = dependency.path("ContainerName").asText();
                    if ("HEALTHY".equals(dependency.path("Condition").asText())) {
                        if (!containers.getOrDefault(target, container).has("HealthCheck")) {
                            violations.add(id + ": " + target + " has no health check to become HEALTHY");
                        }
                        sidecarWaits |= container.path("Name").asText().equals("frontend-sidecar") && target.equals("service-a");
                    }
                }
            }
            if (!sidecarWaits) {
                violations.add(id + ": frontend-sidecar does not wait for service-a to be HEALTHY");
            }
        });
        return violations;
    }

    /** No IAM statement grants a wildcard action: neither a role's own policies nor a policy attached to one. */
    static List<String> noWildcardActions(JsonNode template) {
        List<String> violations = new ArrayList<>();
        BiConsumer<String, JsonNode> checkPolicies = (id, policies) -> {
            for (JsonNode policy : policies) {
                for (JsonNode statement : policy.path("PolicyDocument").path("Statement")) {
                    JsonNode actions = statement.path("Action");
                    List<JsonNode> list = new ArrayList<>();
                    if (actions.isArray()) {
                        actions.forEach(list::add);
                    } else {
                        list.add(actions);
                    }
                    list.stream().filter(action -> action.asText().contains("*"))
                            .forEach(action -> violations.add(id + " grants " + action.asText()));
                }
            }
        };
        eachResource(template, "AWS::IAM::Role", (id, properties) -> checkPolicies.accept(id, properties.path("Policies")));
        eachResource(template, "AWS::IAM::Policy", (id, properties) -> checkPolicies.accept(id,
                JsonNodeFactory.instance.arrayNode().add(properties)));
        return violations;
    }

    /**
     * The OpenTelemetry collector listens on the task's localhost only: every endpoint in its configuration is
     * 127.0.0.1, so nothing outside the task can send it spans (or read its health), whatever the security groups.
     */
    static List<String> collectorListensOnlyOnLocalhost(JsonNode template) {
        List<String> violations = new ArrayList<>();
        eachResource(template, "AWS::ECS::TaskDefinition", (id, properties) -> {
            for (JsonNode container : containers(properties)) {
                for (JsonNode variable : container.path("Environment")) {
                    if (!variable.path("Name").asText().equals("AOT_CONFIG_CONTENT")) {
                        continue;
                    }
                    var endpoints = java.util.regex.Pattern.compile("(?m)^\\s*endpoint:\\s*(\\S+)")
                            .matcher(variable.path("Value").asText());
                    int found = 0;
                    while (endpoints.find()) {
                        found++;
                        if (!endpoints.group(1).startsWith("127.0.0.1:")) {
                            violations.add(id + ": " + container.path("Name").asText() + " listens on " + endpoints.group(1));
                        }
                    }
                    if (found == 0) {
                        violations.add(id + ": " + container.path("Name").asText() + " names no endpoint (its default is every address)");
                    }
                }
            }
        });
        return violations;
    }

    /** Every alarm says what it means for users and where to look: whoever it wakes has only that text. */
    static List<String> everyAlarmIsDescribed(JsonNode template) {
        List<String> violations = new ArrayList<>();
        eachResource(template, "AWS::CloudWatch::Alarm", (id, properties) -> {
            JsonNode description = properties.path("AlarmDescription");
            // A description that names a parameter's value is a Fn::Sub of its text.
            if (description.path("Fn::Sub").asText(description.asText()).strip().length() < 80) {
                violations.add(id + " has no description of what it means and where to look");
            }
        });
        return violations;
    }

    /** A task definition's containers, the ones behind a condition ({@code !If [Condition, {...}, !Ref AWS::NoValue]}) included. */
    private static List<JsonNode> containers(JsonNode taskDefinition) {
        List<JsonNode> containers = new ArrayList<>();
        for (JsonNode entry : taskDefinition.path("ContainerDefinitions")) {
            containers.add(entry.has("Fn::If") ? entry.path("Fn::If").path(1) : entry);
        }
        return containers;
    }

    private static JsonNode ref(String logicalId) {
        return JsonNodeFactory.instance.objectNode().put("Ref", logicalId);
    }

    private static void eachResource(JsonNode template, String type, BiConsumer<String, JsonNode> action) {
        template.path("Resources").fields().forEachRemaining(entry -> {
            if (type.equals(entry.getValue().path("Type").asText())) {
                action.accept(entry.getKey(), entry.getValue().path("Properties"));
            }
        });
    }

    /** Inline rules of each security group and standalone SecurityGroupIngress resources, by group logical id. */
    private static void eachIngress(JsonNode template, BiConsumer<String, JsonNode> action) {
        eachResource(template, "AWS::EC2::SecurityGroup",
                (id, properties) -> properties.path("SecurityGroupIngress").forEach(rule -> action.accept(id, rule)));
        eachResource(template, "AWS::EC2::SecurityGroupIngress",
                (id, properties) -> action.accept(properties.path("GroupId").path("Ref").asText(id), properties));
    }
}
