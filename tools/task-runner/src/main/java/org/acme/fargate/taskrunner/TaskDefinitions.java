package org.acme.fargate.taskrunner;

import static org.acme.fargate.taskrunner.CloudFormationTemplate.list;
import static org.acme.fargate.taskrunner.CloudFormationTemplate.map;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ECS task definitions of {@code infra/templates}, read as CloudFormation would resolve them for one set of
 * parameters ({@link CloudFormationTemplate}): the source of truth for what a task runs (images, user, read-only
 * root, mounts, ports, environment, health checks, dependencies, stop timeouts, size).
 */
public final class TaskDefinitions {

    public record Mount(String volume, String containerPath, boolean readOnly) {
    }

    public record Dependency(String container, String condition) {
    }

    public record HealthCheck(List<String> command, int interval, int timeout, int retries, int startPeriod) {
    }

    /** A container; {@code secrets} maps each variable of its Secrets to its valueFrom (an ARN), never to a value. */
    public record Container(String name, String image, String user, boolean essential, boolean readOnlyRoot,
            List<Mount> mounts, List<Integer> ports, Map<String, String> environment, Map<String, String> secrets,
            HealthCheck healthCheck, List<Dependency> dependsOn, int stopTimeout) {
    }

    public record Task(String family, int cpu, int memory, List<String> volumes, List<Container> containers) {

        public Container container(String name) {
            return containers.stream().filter(c -> c.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(family + " has no container " + name));
        }
    }

    /** The other stacks' exports a task definition imports, as a local run has them (no stack exists). */
    public static final Map<String, String> LOCAL_EXPORTS = Map.of("fnr-NamespaceName", "shop.internal",
            "fnr-TaskExecutionRoleArn", "local", "fnr-NamespaceId", "local", "fnr-ClusterName", "local");

    private final CloudFormationTemplate template;

    private TaskDefinitions(CloudFormationTemplate template) {
        this.template = template;
    }

    /** The image of a service as images/build-images.sh tags it in podman's storage. */
    public static String localImage(String service) {
        return "localhost/fnr/" + service + ":local";
    }

    /** The task definition of a template (its one {@code AWS::ECS::TaskDefinition}), resolved for these parameters. */
    public static Task read(Path template, Map<String, String> parameters, Map<String, String> exports) {
        CloudFormationTemplate resolved = CloudFormationTemplate.load(template, parameters, exports);
        List<String> names = resolved.resourcesOfType("AWS::ECS::TaskDefinition");
        if (names.size() != 1) {
            throw new IllegalArgumentException(template + " has " + names.size() + " task definitions, not one");
        }
        return new TaskDefinitions(resolved).task(names.get(0));
    }

    /** Whether a template runs an ECS service (a service's stack) or not (network, platform, observability). */
    public static boolean hasService(Path template) {
        return !CloudFormationTemplate.load(template, Map.of(), Map.of()).resourcesOfType("AWS::ECS::Service").isEmpty();
    }

    /** A template's parameters as written: each one's Type, Default, AllowedValues, Description. */
    public static Map<String, Object> parameters(Path template) {
        return map(CloudFormationTemplate.load(template, Map.of(), Map.of()).template.get("Parameters"));
    }

    private Task task(String resource) {
        Map<String, Object> definition = template.properties(resource);
        List<String> volumes = new ArrayList<>();
        for (Object volume : list(definition.get("Volumes"))) {
            volumes.add(template.text(map(volume).get("Name")));
        }
        List<Container> containers = new ArrayList<>();
        for (Object entry : list(definition.get("ContainerDefinitions"))) {
            // A container behind a condition is !If [Condition, {...}, !Ref AWS::NoValue].
            Object container = template.resolve(entry);
            if (container != CloudFormationTemplate.NO_VALUE) {
                containers.add(container(map(container)));
            }
        }
        return new Task(template.text(definition.get("Family")), Integer.parseInt(template.text(definition.get("Cpu"))),
                Integer.parseInt(template.text(definition.get("Memory"))), volumes, containers);
    }

    private Container container(Map<String, Object> c) {
        List<Mount> mounts = new ArrayList<>();
        for (Object m : list(c.get("MountPoints"))) {
            Map<String, Object> mount = map(m);
            mounts.add(new Mount(template.text(mount.get("SourceVolume")), template.text(mount.get("ContainerPath")),
                    Boolean.parseBoolean(template.text(mount.get("ReadOnly")))));
        }
        List<Integer> ports = new ArrayList<>();
        for (Object p : list(c.get("PortMappings"))) {
            ports.add(Integer.parseInt(template.text(map(p).get("ContainerPort"))));
        }
        Map<String, String> environment = new LinkedHashMap<>();
        for (Object e : list(c.get("Environment"))) {
            environment.put(template.text(map(e).get("Name")), template.text(map(e).get("Value")));
        }
        Map<String, String> secrets = new LinkedHashMap<>();
        for (Object e : list(c.get("Secrets"))) {
            secrets.put(template.text(map(e).get("Name")), template.text(map(e).get("ValueFrom")));
        }
        HealthCheck health = null;
        if (c.get("HealthCheck") != null) {
            Map<String, Object> h = map(c.get("HealthCheck"));
            List<String> command = new ArrayList<>();
            list(h.get("Command")).forEach(part -> command.add(template.text(part)));
            health = new HealthCheck(command, template.integer(h.get("Interval"), 30), template.integer(h.get("Timeout"), 5),
                    template.integer(h.get("Retries"), 3), template.integer(h.get("StartPeriod"), 0));
        }
        List<Dependency> dependsOn = new ArrayList<>();
        for (Object d : list(c.get("DependsOn"))) {
            dependsOn.add(new Dependency(template.text(map(d).get("ContainerName")), template.text(map(d).get("Condition"))));
        }
        return new Container(template.text(c.get("Name")), image(c), template.text(c.get("User")),
                c.get("Essential") == null || Boolean.parseBoolean(template.text(c.get("Essential"))),
                Boolean.parseBoolean(template.text(c.get("ReadonlyRootFilesystem"))), mounts, ports, environment, secrets, health,
                dependsOn, template.integer(c.get("StopTimeout"), 30));
    }

    /** The container's image; an image parameter left without a value is the image images/build-images.sh makes. */
    private String image(Map<String, Object> container) {
        Object image = container.get("Image");
        if (image instanceof Map<?, ?> ref && ref.containsKey("Ref") && !template.parameters.containsKey(String.valueOf(ref.get("Ref")))) {
            return localImage(template.text(container.get("Name")));
        }
        return template.text(image);
    }
}
