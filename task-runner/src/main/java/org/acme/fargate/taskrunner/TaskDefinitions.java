package org.acme.fargate.taskrunner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * The ECS task definitions of {@code infra/templates}, read as CloudFormation would resolve them for one set of
 * parameters: the source of truth for what a task runs (images, user, read-only root, mounts, ports,
 * environment, health checks, dependencies, stop timeouts, size). Handles the intrinsic functions the templates
 * use in task definitions: Ref, Sub, If (with Equals conditions), Select, Split, ImportValue (from a map that
 * plays the other stacks' exports), GetAtt (as a placeholder; no resource exists locally).
 */
public final class TaskDefinitions {

    /** What {@code !Ref AWS::NoValue} resolves to: the property, or the list entry, is left out. */
    private static final Object NO_VALUE = new Object();


    public record Mount(String volume, String containerPath, boolean readOnly) {
    }

    public record Dependency(String container, String condition) {
    }

    public record HealthCheck(List<String> command, int interval, int timeout, int retries, int startPeriod) {
    }

    public record Container(String name, String image, String user, boolean essential, boolean readOnlyRoot,
            List<Mount> mounts, List<Integer> ports, Map<String, String> environment, HealthCheck healthCheck,
            List<Dependency> dependsOn, int stopTimeout) {
    }

    public record Task(String family, int cpu, int memory, List<String> volumes, List<Container> containers) {

        public Container container(String name) {
            return containers.stream().filter(c -> c.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(family + " has no container " + name));
        }
    }

    /** An inbound rule: from another security group ({@code sourceGroup}, its name) or from {@code cidr}. */
    public record Ingress(String description, String protocol, int fromPort, int toPort, String sourceGroup, String cidr) {
    }

    /** A security group, by its Name tag, with every inbound rule it has. */
    public record SecurityGroup(String name, String description, List<Ingress> ingress) {
    }

    /**
     * What an ECS service's deployments follow: the share of the desired count that must stay healthy and the share
     * that may run during a rolling replacement, whether a failing deployment is rolled back, the TTL of the Cloud
     * Map DNS records its tasks are registered under (0 without a registry), how long the load balancer's health
     * checks are ignored after a task starts, and the target group its tasks are registered in (null without one).
     */
    public record EcsService(String name, int minimumHealthyPercent, int maximumPercent, boolean rollback, int dnsTtl,
            int healthCheckGracePeriodSeconds, TargetGroup targetGroup) {
    }

    /**
     * An ALB target group as its targets see it: the health check (path, interval, timeout, thresholds), how long
     * a deregistered target keeps its in-flight requests (deregistration delay), how long a new target's share of
     * requests ramps up (slow start, 0 for none), and the container and port it sends to.
     */
    public record TargetGroup(String container, int port, String healthCheckPath, int intervalSeconds, int timeoutSeconds,
            int healthyThreshold, int unhealthyThreshold, int deregistrationDelaySeconds, int slowStartSeconds) {
    }

    /** The other stacks' exports a task definition imports, as a local run has them (no stack exists). */
    public static final Map<String, String> LOCAL_EXPORTS = Map.of("fnr-NamespaceName", "shop.internal",
            "fnr-TaskExecutionRoleArn", "local", "fnr-NamespaceId", "local", "fnr-ClusterName", "local");

    /** The image of a service as images/build-images.sh tags it in podman's storage. */
    public static String localImage(String service) {
        return "localhost/fnr/" + service + ":local";
    }

    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}!]+)}");

    private final Map<String, Object> template;
    private final Map<String, String> parameters = new HashMap<>();
    private final Map<String, String> exports;

    private TaskDefinitions(Map<String, Object> template, Map<String, String> parameters, Map<String, String> exports) {
        this.template = template;
        this.exports = exports;
        map(template.get("Parameters")).forEach((name, definition) -> {
            Object defaultValue = map(definition).get("Default");
            if (defaultValue != null) {
                this.parameters.put(name, String.valueOf(defaultValue));
            }
        });
        parameters.forEach((name, value) -> {
            Map<String, Object> definition = map(map(template.get("Parameters")).get(name));
            List<String> allowed = list(definition.get("AllowedValues")).stream().map(String::valueOf).toList();
            // AllowedValues is checked, as CloudFormation checks it; AllowedPattern is not: a local image's name
            // is not the ECR URI the image parameters' patterns ask for.
            if (!allowed.isEmpty() && !allowed.contains(value)) {
                throw new IllegalArgumentException("parameter " + name + ": " + value + " is not one of " + allowed);
            }
        });
        this.parameters.putAll(parameters);
        this.parameters.putIfAbsent("AWS::Region", "local-1");
        this.parameters.putIfAbsent("AWS::StackName", "local");
    }

    /** The task definition of a template (its one {@code AWS::ECS::TaskDefinition}), resolved for these parameters. */
    public static Task read(Path template, Map<String, String> parameters, Map<String, String> exports) {
        TaskDefinitions definitions = load(template, parameters, exports);
        List<String> names = definitions.resourcesOfType("AWS::ECS::TaskDefinition");
        if (names.size() != 1) {
            throw new IllegalArgumentException(template + " has " + names.size() + " task definitions, not one");
        }
        return definitions.task(names.get(0));
    }

    private static TaskDefinitions load(Path template, Map<String, String> parameters, Map<String, String> exports) {
        try {
            Map<String, Object> yaml = new Yaml(new CloudFormationTags()).load(Files.readString(template));
            return new TaskDefinitions(yaml, parameters, exports);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> resourcesOfType(String type) {
        List<String> names = new ArrayList<>();
        map(template.get("Resources")).forEach((name, resource) -> {
            if (type.equals(map(resource).get("Type"))) {
                names.add(name);
            }
        });
        return names;
    }

    /** Whether a template runs an ECS service (a service's stack) or not (network, platform, observability). */
    public static boolean hasService(Path template) {
        return !load(template, Map.of(), Map.of()).resourcesOfType("AWS::ECS::Service").isEmpty();
    }

    /**
     * The security groups a template's ECS services attach to their tasks, followed as CloudFormation does: a
     * group of the service's own stack ({@code !Ref}), or one another stack exports ({@code Fn::ImportValue}, which
     * {@code platform}'s outputs name). Its inbound rules are those written in the group and those of
     * {@code AWS::EC2::SecurityGroupIngress} resources of the same template. A group is named by its {@code Name}
     * tag (as the console shows it: fnr-web, fnr-service-b), its sources too, so that two stacks' groups of the
     * same logical name stay apart.
     */
    public static List<SecurityGroup> securityGroups(Path template, Map<String, String> parameters, Path platform) {
        TaskDefinitions service = load(template, parameters, Map.of());
        TaskDefinitions platformGroups = load(platform, Map.of(), Map.of());
        Map<String, Object> resources = map(service.template.get("Resources"));
        List<SecurityGroup> attached = new ArrayList<>();
        for (String name : service.resourcesOfType("AWS::ECS::Service")) {
            Map<String, Object> network = map(map(map(map(resources.get(name)).get("Properties")).get("NetworkConfiguration"))
                    .get("AwsvpcConfiguration"));
            for (Object group : list(network.get("SecurityGroups"))) {
                Map<String, Object> reference = map(group);
                if (reference.containsKey("Ref")) {
                    attached.add(service.securityGroup(String.valueOf(reference.get("Ref")), platformGroups));
                } else {
                    String export = service.text(reference.get("Fn::ImportValue"));
                    attached.add(platformGroups.securityGroup(platformGroups.exportedResource(export), platformGroups));
                }
            }
        }
        return attached;
    }

    /** The logical name of the resource an output exports under {@code export} ({@code Value: !Ref resource}). */
    private String exportedResource(String export) {
        for (Object output : map(template.get("Outputs")).values()) {
            Map<String, Object> value = map(map(output).get("Value"));
            if (export.equals(text(map(map(output).get("Export")).get("Name"))) && value.containsKey("Ref")) {
                return String.valueOf(value.get("Ref"));
            }
        }
        throw new IllegalArgumentException("no output exports " + export + " as a Ref");
    }

    private SecurityGroup securityGroup(String name, TaskDefinitions platform) {
        Map<String, Object> resources = map(template.get("Resources"));
        Map<String, Object> properties = map(map(resources.get(name)).get("Properties"));
        List<Ingress> ingress = new ArrayList<>();
        list(properties.get("SecurityGroupIngress")).forEach(rule -> ingress.add(ingress(map(rule), platform)));
        for (String rule : resourcesOfType("AWS::EC2::SecurityGroupIngress")) {
            Map<String, Object> ruleProperties = map(map(resources.get(rule)).get("Properties"));
            if (name.equals(map(ruleProperties.get("GroupId")).get("Ref"))) {
                ingress.add(ingress(ruleProperties, platform));
            }
        }
        return new SecurityGroup(groupName(name), text(properties.get("GroupDescription")), ingress);
    }

    /** A group's Name tag, resolved; its logical name if it has none. */
    private String groupName(String logicalName) {
        Map<String, Object> properties = map(map(map(template.get("Resources")).get(logicalName)).get("Properties"));
        for (Object tag : list(properties.get("Tags"))) {
            if ("Name".equals(text(map(tag).get("Key")))) {
                return text(map(tag).get("Value"));
            }
        }
        return logicalName;
    }

    private Ingress ingress(Map<String, Object> rule, TaskDefinitions platform) {
        Map<String, Object> source = map(rule.get("SourceSecurityGroupId"));
        String sourceGroup = null;
        if (source.containsKey("Ref")) {
            sourceGroup = groupName(String.valueOf(source.get("Ref")));
        } else if (source.containsKey("Fn::ImportValue")) {
            sourceGroup = platform.groupName(platform.exportedResource(text(source.get("Fn::ImportValue"))));
        }
        return new Ingress(text(rule.get("Description")), text(rule.get("IpProtocol")), integer(rule.get("FromPort"), -1),
                integer(rule.get("ToPort"), -1), sourceGroup, text(rule.get("CidrIp")));
    }

    /** The template's one ECS service, resolved for these parameters. */
    public static EcsService service(Path template, Map<String, String> parameters) {
        TaskDefinitions definitions = load(template, parameters, LOCAL_EXPORTS);
        Map<String, Object> resources = map(definitions.template.get("Resources"));
        List<String> services = definitions.resourcesOfType("AWS::ECS::Service");
        if (services.size() != 1) {
            throw new IllegalArgumentException(template + " has " + services.size() + " ECS services, not one");
        }
        Map<String, Object> properties = map(map(resources.get(services.get(0))).get("Properties"));
        Map<String, Object> deployment = map(properties.get("DeploymentConfiguration"));
        int ttl = 0;
        for (String registry : definitions.resourcesOfType("AWS::ServiceDiscovery::Service")) {
            for (Object record : list(map(map(map(resources.get(registry)).get("Properties")).get("DnsConfig")).get("DnsRecords"))) {
                ttl = Math.max(ttl, definitions.integer(map(record).get("TTL"), 0));
            }
        }
        // ECS's defaults where the template sets none: 100 % and 200 %, no circuit breaker, no grace period.
        return new EcsService(definitions.text(properties.get("ServiceName")),
                definitions.integer(deployment.get("MinimumHealthyPercent"), 100),
                definitions.integer(deployment.get("MaximumPercent"), 200),
                Boolean.parseBoolean(definitions.text(map(deployment.get("DeploymentCircuitBreaker")).get("Rollback"))), ttl,
                definitions.integer(properties.get("HealthCheckGracePeriodSeconds"), 0), definitions.targetGroup(properties));
    }

    /** The target group of the service's one load balancer, with ELB's defaults where the template sets none. */
    private TargetGroup targetGroup(Map<String, Object> service) {
        List<Object> balancers = list(service.get("LoadBalancers"));
        if (balancers.isEmpty()) {
            return null;
        }
        Map<String, Object> balancer = map(balancers.get(0));
        String resource = text(map(balancer.get("TargetGroupArn")).get("Ref"));
        Map<String, Object> group = map(map(map(template.get("Resources")).get(resource)).get("Properties"));
        Map<String, String> attributes = new LinkedHashMap<>();
        for (Object attribute : list(group.get("TargetGroupAttributes"))) {
            attributes.put(text(map(attribute).get("Key")), text(map(attribute).get("Value")));
        }
        return new TargetGroup(text(balancer.get("ContainerName")), integer(balancer.get("ContainerPort"), -1),
                group.containsKey("HealthCheckPath") ? text(group.get("HealthCheckPath")) : "/",
                integer(group.get("HealthCheckIntervalSeconds"), 30), integer(group.get("HealthCheckTimeoutSeconds"), 5),
                integer(group.get("HealthyThresholdCount"), 5), integer(group.get("UnhealthyThresholdCount"), 2),
                integer(attributes.get("deregistration_delay.timeout_seconds"), 300),
                integer(attributes.get("slow_start.duration_seconds"), 0));
    }

    /** A template's parameters as written: each one's Type, Default, AllowedValues, Description. */
    public static Map<String, Object> parameters(Path template) {
        return map(load(template, Map.of(), Map.of()).template.get("Parameters"));
    }

    /**
     * The container ports a template's ECS services put behind a load balancer ({@code LoadBalancers} of each
     * {@code AWS::ECS::Service}): the only ports reachable from outside the VPC.
     */
    public static List<Integer> loadBalancedPorts(Path template) {
        TaskDefinitions definitions = load(template, Map.of(), Map.of());
        List<Integer> ports = new ArrayList<>();
        Map<String, Object> resources = map(definitions.template.get("Resources"));
        for (String service : definitions.resourcesOfType("AWS::ECS::Service")) {
            for (Object balancer : list(map(map(resources.get(service)).get("Properties")).get("LoadBalancers"))) {
                ports.add(Integer.parseInt(String.valueOf(map(balancer).get("ContainerPort"))));
            }
        }
        return ports;
    }

    private Task task(String resource) {
        Map<String, Object> definition = map(map(map(template.get("Resources")).get(resource)).get("Properties"));
        List<String> volumes = new ArrayList<>();
        for (Object volume : list(definition.get("Volumes"))) {
            volumes.add(text(map(volume).get("Name")));
        }
        List<Container> containers = new ArrayList<>();
        for (Object entry : list(definition.get("ContainerDefinitions"))) {
            // A container behind a condition is !If [Condition, {...}, !Ref AWS::NoValue].
            Object container = resolve(entry);
            if (container != NO_VALUE) {
                containers.add(container(map(container)));
            }
        }
        return new Task(text(definition.get("Family")), Integer.parseInt(text(definition.get("Cpu"))),
                Integer.parseInt(text(definition.get("Memory"))), volumes, containers);
    }

    private Container container(Map<String, Object> c) {
        List<Mount> mounts = new ArrayList<>();
        for (Object m : list(c.get("MountPoints"))) {
            Map<String, Object> mount = map(m);
            mounts.add(new Mount(text(mount.get("SourceVolume")), text(mount.get("ContainerPath")),
                    Boolean.parseBoolean(text(mount.get("ReadOnly")))));
        }
        List<Integer> ports = new ArrayList<>();
        for (Object p : list(c.get("PortMappings"))) {
            ports.add(Integer.parseInt(text(map(p).get("ContainerPort"))));
        }
        Map<String, String> environment = new LinkedHashMap<>();
        for (Object e : list(c.get("Environment"))) {
            environment.put(text(map(e).get("Name")), text(map(e).get("Value")));
        }
        HealthCheck health = null;
        if (c.get("HealthCheck") != null) {
            Map<String, Object> h = map(c.get("HealthCheck"));
            List<String> command = new ArrayList<>();
            list(h.get("Command")).forEach(part -> command.add(text(part)));
            health = new HealthCheck(command, integer(h.get("Interval"), 30), integer(h.get("Timeout"), 5),
                    integer(h.get("Retries"), 3), integer(h.get("StartPeriod"), 0));
        }
        List<Dependency> dependsOn = new ArrayList<>();
        for (Object d : list(c.get("DependsOn"))) {
            dependsOn.add(new Dependency(text(map(d).get("ContainerName")), text(map(d).get("Condition"))));
        }
        return new Container(text(c.get("Name")), image(c), text(c.get("User")),
                c.get("Essential") == null || Boolean.parseBoolean(text(c.get("Essential"))),
                Boolean.parseBoolean(text(c.get("ReadonlyRootFilesystem"))), mounts, ports, environment, health,
                dependsOn, integer(c.get("StopTimeout"), 30));
    }

    /** The container's image; an image parameter left without a value is the image images/build-images.sh makes. */
    private String image(Map<String, Object> container) {
        Object image = container.get("Image");
        if (image instanceof Map<?, ?> ref && ref.containsKey("Ref") && !parameters.containsKey(String.valueOf(ref.get("Ref")))) {
            return localImage(text(container.get("Name")));
        }
        return text(image);
    }

    private int integer(Object value, int otherwise) {
        return value == null ? otherwise : Integer.parseInt(text(value));
    }

    /** A value with every intrinsic function resolved, as text. */
    private String text(Object value) {
        Object resolved = resolve(value);
        return resolved == null || resolved == NO_VALUE ? null : String.valueOf(resolved);
    }

    private Object resolve(Object value) {
        if (!(value instanceof Map<?, ?> function) || function.size() != 1) {
            return value;
        }
        String name = String.valueOf(function.keySet().iterator().next());
        Object argument = function.values().iterator().next();
        return switch (name) {
            case "Ref" -> {
                String ref = String.valueOf(argument);
                if (ref.equals("AWS::NoValue")) {
                    yield NO_VALUE;
                }
                if (!parameters.containsKey(ref)) {
                    throw new IllegalArgumentException("no value for parameter or pseudo-parameter " + ref);
                }
                yield parameters.get(ref);
            }
            case "Fn::Sub" -> sub(argument);
            case "Fn::ImportValue" -> {
                String export = text(argument);
                if (!exports.containsKey(export)) {
                    throw new IllegalArgumentException("no export " + export + " (the other stacks' outputs)");
                }
                yield exports.get(export);
            }
            case "Fn::If" -> {
                List<Object> branches = list(argument);
                yield resolve(condition(String.valueOf(branches.get(0))) ? branches.get(1) : branches.get(2));
            }
            case "Fn::Select" -> list(resolve(list(argument).get(1))).get(Integer.parseInt(text(list(argument).get(0))));
            case "Fn::Split" -> List.of(text(list(argument).get(1)).split(Pattern.quote(text(list(argument).get(0))), -1));
            case "Fn::GetAtt" -> "local:" + argument;
            default -> value;
        };
    }

    private String sub(Object argument) {
        String pattern;
        Map<String, String> variables = new HashMap<>();
        if (argument instanceof List<?> parts) {
            pattern = String.valueOf(parts.get(0));
            map(parts.get(1)).forEach((name, v) -> variables.put(name, text(v)));
        } else {
            pattern = String.valueOf(argument);
        }
        Matcher matcher = SUB_VARIABLE.matcher(pattern);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String variable = matcher.group(1);
            String value = variables.containsKey(variable) ? variables.get(variable)
                    : text(Map.of("Ref", variable));
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private boolean condition(String name) {
        return holds(map(template.get("Conditions")).get(name), name);
    }

    private boolean holds(Object definition, String name) {
        Map<String, Object> function = map(definition);
        if (function.containsKey("Fn::Equals")) {
            List<Object> sides = list(function.get("Fn::Equals"));
            return text(sides.get(0)).equals(text(sides.get(1)));
        }
        if (function.containsKey("Fn::Or")) {
            return list(function.get("Fn::Or")).stream().anyMatch(part -> holds(part, name));
        }
        if (function.containsKey("Fn::And")) {
            return list(function.get("Fn::And")).stream().allMatch(part -> holds(part, name));
        }
        if (function.containsKey("Fn::Not")) {
            return !holds(list(function.get("Fn::Not")).get(0), name);
        }
        if (function.containsKey("Condition")) {
            return condition(String.valueOf(function.get("Condition")));
        }
        throw new IllegalArgumentException("condition " + name + " uses a function this reader does not know: " + function);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value == null ? Map.of() : (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        return value == null ? List.of() : (List<Object>) value;
    }

    /** CloudFormation's short forms ({@code !Ref x}, {@code !Sub ...}) as their long forms ({@code {Ref: x}}). */
    private static final class CloudFormationTags extends SafeConstructor {

        CloudFormationTags() {
            super(new LoaderOptions());
            for (String function : List.of("Ref", "Sub", "If", "Equals", "Select", "Split", "ImportValue", "GetAtt",
                    "Join", "Not", "And", "Or", "FindInMap", "GetAZs", "Cidr", "Base64", "Condition")) {
                String longForm = function.equals("Ref") || function.equals("Condition") ? function : "Fn::" + function;
                yamlConstructors.put(new Tag("!" + function), new AbstractConstruct() {
                    @Override
                    public Object construct(Node node) {
                        Object value;
                        if (node instanceof ScalarNode scalar) {
                            value = function.equals("GetAtt") ? List.of(scalar.getValue().split("\\.", 2)) : scalar.getValue();
                        } else if (node instanceof SequenceNode sequence) {
                            value = constructSequence(sequence);
                        } else {
                            value = constructMapping((MappingNode) node);
                        }
                        return Map.of(longForm, value);
                    }
                });
            }
        }
    }
}
