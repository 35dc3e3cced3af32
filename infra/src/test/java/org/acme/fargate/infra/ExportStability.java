package org.acme.fargate.infra;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What could change an exported value when its stack is updated with other parameter values. CloudFormation refuses
 * to update an export another stack imports, so such a change fails the update (the trap of an output that switches
 * between two listeners when a certificate is added, or a subnet list that grows with a zone). A value may change
 * when it is a parameter, when it switches on a condition ({@code Fn::If}), when it names a resource that exists only
 * under a condition, or when it names a resource that a parameter replaces: one of the resource's create-only
 * properties depends on the parameter, directly or through another resource it replaces.
 *
 * <p>The create-only properties are those of the resource types these templates export, from each type's
 * CloudFormation reference ("Update requires: Replacement"); a type missing here fails the check by name, so that a new
 * export is looked at once. Written by hand because no library at hand answers it offline: cfn-lint's schemas carry
 * the create-only properties but only inside its Python package, and CDK's Java jars carry none.
 */
final class ExportStability {

    static final Map<String, Set<String>> CREATE_ONLY = Map.ofEntries(
            Map.entry("AWS::EC2::VPC", Set.of("CidrBlock", "InstanceTenancy", "Ipv4IpamPoolId", "Ipv4NetmaskLength")),
            Map.entry("AWS::EC2::Subnet", Set.of("AvailabilityZone", "AvailabilityZoneId", "CidrBlock", "VpcId", "OutpostArn",
                    "Ipv4IpamPoolId", "Ipv4NetmaskLength")),
            Map.entry("AWS::EC2::SecurityGroup", Set.of("GroupDescription", "GroupName", "VpcId")),
            Map.entry("AWS::ECS::Cluster", Set.of("ClusterName")),
            Map.entry("AWS::ECS::Service", Set.of("ServiceName", "Cluster", "LaunchType", "Role", "SchedulingStrategy",
                    "DeploymentController")),
            Map.entry("AWS::ServiceDiscovery::PrivateDnsNamespace", Set.of("Name", "Vpc")),
            Map.entry("AWS::ServiceDiscovery::Service", Set.of("Name", "NamespaceId", "Type", "HealthCheckCustomConfig")),
            Map.entry("AWS::IAM::Role", Set.of("RoleName", "Path")),
            Map.entry("AWS::SecretsManager::Secret", Set.of("Name")),
            Map.entry("AWS::ElasticLoadBalancingV2::LoadBalancer", Set.of("Name", "Scheme", "Type")),
            Map.entry("AWS::ElasticLoadBalancingV2::Listener", Set.of("LoadBalancerArn")),
            Map.entry("AWS::ElasticLoadBalancingV2::TargetGroup", Set.of("Name", "Port", "Protocol", "ProtocolVersion",
                    "TargetType", "VpcId", "IpAddressType")));

    private static final Pattern SUB_REFERENCE = Pattern.compile("\\$\\{([A-Za-z0-9:]+)(?:\\.[A-Za-z0-9.]+)?}");

    private ExportStability() {
    }

    /**
     * For each output of {@code template} (as written: its parameters are Refs) whose export ({@code resolved}: its
     * stack's parameters filled in) is in {@code imported}: what could change it, as "Output: reason", leaving out the
     * parameters of {@code replacements} (a change the docs warn about).
     */
    static List<String> violations(JsonNode template, JsonNode resolved, Set<String> imported, Map<String, String> replacements) {
        List<String> violations = new ArrayList<>();
        template.path("Outputs").fields().forEachRemaining(output -> {
            if (!imported.contains(afterPrefix(resolved.path("Outputs").path(output.getKey()).path("Export").path("Name")))) {
                return;
            }
            Set<String> reasons = new TreeSet<>();
            new Walk(template, output.getValue(), replacements, reasons).value(output.getValue().path("Value"));
            reasons.forEach(reason -> violations.add(output.getKey() + ": " + reason));
        });
        return violations;
    }

    /** The names other stacks import, after their stack's prefix ("fnr-VpcId" is VpcId). */
    static Set<String> importedNames(Iterable<JsonNode> stacks) {
        Set<String> names = new HashSet<>();
        for (JsonNode stack : stacks) {
            stack.findValues("Fn::ImportValue").forEach(imported -> names.add(afterPrefix(imported)));
        }
        return names;
    }

    /** An export's or import's name after the environment's prefix: {"Fn::Sub": "fnr-VpcId"} is VpcId. */
    private static String afterPrefix(JsonNode name) {
        String text = name.isTextual() ? name.asText() : name.path("Fn::Sub").asText(name.toString());
        return text.substring(text.indexOf('-') + 1);
    }

    private record Walk(JsonNode template, JsonNode output, Map<String, String> replacements, Set<String> reasons) {

        void value(JsonNode node) {
            if (node.isArray()) {
                node.forEach(this::value);
            } else if (node.has("Fn::If")) {
                reasons.add("switches on the condition " + node.path("Fn::If").path(0).asText());
            } else if (node.has("Ref")) {
                reference(node.path("Ref").asText(), new HashSet<>());
            } else if (node.has("Fn::GetAtt")) {
                JsonNode target = node.path("Fn::GetAtt");
                reference(target.isArray() ? target.path(0).asText() : target.asText().split("\\.")[0], new HashSet<>());
            } else if (node.has("Fn::Sub")) {
                JsonNode sub = node.path("Fn::Sub");
                String text = sub.isArray() ? sub.path(0).asText() : sub.asText();
                Matcher references = SUB_REFERENCE.matcher(text);
                while (references.find()) {
                    if (sub.isArray() && sub.path(1).has(references.group(1))) {
                        value(sub.path(1).path(references.group(1)));
                    } else {
                        reference(references.group(1), new HashSet<>());
                    }
                }
            } else if (node.has("Fn::ImportValue")) {
                return; // another stack's export: checked there
            } else if (node.isObject()) {
                node.elements().forEachRemaining(this::value);
            }
        }

        /** A name a value refers to: a parameter, a pseudo parameter, or a resource (and what replaces it). */
        private void reference(String name, Set<String> visited) {
            if (name.startsWith("AWS::") || !visited.add(name)) {
                return;
            }
            if (template.path("Parameters").has(name)) {
                if (!replacements.containsKey(name)) {
                    reasons.add("follows the parameter " + name);
                }
                return;
            }
            JsonNode resource = template.path("Resources").path(name);
            // An output under the resource's own condition comes and goes with it: CloudFormation keeps it while it is
            // imported, and an importer imports it under its own copy of the condition (web's Https, ThreeZones).
            if (resource.has("Condition") && !resource.path("Condition").equals(output.path("Condition"))) {
                reasons.add(name + " exists only when " + resource.path("Condition").asText());
            }
            String type = resource.path("Type").asText();
            if (!CREATE_ONLY.containsKey(type)) {
                reasons.add(name + " is a " + type + ", whose create-only properties ExportStability does not know yet");
                return;
            }
            for (String property : CREATE_ONLY.get(type)) {
                replacedBy(resource.path("Properties").path(property), name + "." + property, visited);
            }
        }

        /** Parameters and resources a create-only property depends on: each would replace the resource. */
        private void replacedBy(JsonNode node, String where, Set<String> visited) {
            if (node.isMissingNode()) {
                return;
            }
            if (node.has("Fn::If")) {
                reasons.add(where + " switches on the condition " + node.path("Fn::If").path(0).asText());
            }
            if (node.has("Ref") || node.has("Fn::GetAtt") || node.has("Fn::Sub")) {
                Set<String> before = new TreeSet<>(reasons);
                if (node.has("Ref")) {
                    reference(node.path("Ref").asText(), visited);
                } else if (node.has("Fn::GetAtt")) {
                    JsonNode target = node.path("Fn::GetAtt");
                    reference(target.isArray() ? target.path(0).asText() : target.asText().split("\\.")[0], visited);
                } else {
                    value(node);
                }
                if (!before.equals(reasons)) {
                    reasons.add("replaced when " + where + " changes");
                }
                return;
            }
            if (node.isContainerNode()) {
                node.elements().forEachRemaining(child -> replacedBy(child, where, visited));
            }
        }
    }
}
