package org.acme.fargate.taskrunner;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * compose.yaml, for Docker and podman-compose users, made from the task definitions of infra/templates by
 * {@link TaskDefinitions} (the same reading the image tests run), so that it cannot drift from what deploys.
 * A task is a group of services sharing one network namespace: its first container (the one that depends on
 * no other) owns the namespace and holds the task's port mappings; the others join it with
 * {@code network_mode: service:<owner>}, as the containers of an awsvpc task share one ENI. Only the ports an
 * ECS service puts behind the load balancer are published on this machine; the others are reachable inside
 * compose's network only, as inside the VPC.
 *
 * <p>Discovery is the templates' {@code service-connect} mode: service-a calls {@code service-b:8080}, which on
 * ECS is the Service Connect client alias and here is compose's own name for the service-b service (a backend
 * service's container is named after the service).
 */
public final class ComposeFile {

    private ComposeFile() {
    }

    /** The file's whole text, as checked in, from the services of {@code stacks} (infra/stacks) and their templates. */
    public static String render(Path stacks) {
        Path templates = Stack.templatesBeside(stacks);
        Map<String, Object> services = new LinkedHashMap<>();
        Map<String, Object> volumes = new LinkedHashMap<>();
        // A task's first container waits for the tasks of the stacks before it, healthy, as ECS has a stack's services
        // running before the next stack's are created (service-a calls service-b).
        List<String> earlier = new ArrayList<>();
        for (Stack stack : Stack.services(stacks)) {
            Path template = stack.templateFile(templates);
            TaskDefinitions.Task task = TaskDefinitions.read(template, stack.parametersWith(Map.of("DiscoveryMode", "service-connect")),
                    TaskDefinitions.LOCAL_EXPORTS);
            earlier = addTask(task, EcsServices.loadBalancedPorts(template), earlier, services, volumes);
        }
        Map<String, Object> compose = new LinkedHashMap<>();
        compose.put("services", services);
        compose.put("volumes", volumes);
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setWidth(400);
        options.setIndicatorIndent(2);
        options.setIndentWithIndicator(true);
        return """
                # The whole topology for Docker Compose or podman-compose: every service of infra/stacks (service-b, and the
                # web task: frontend-sidecar and service-a sharing one network namespace), run from the images
                # images/build-images.sh builds. GENERATED from infra/stacks and infra/templates by task-runner; do not edit:
                # change those, then: ./mvnw -q -pl tools/task-runner package && java -jar tools/task-runner/target/task-runner.jar compose > compose.yaml
                """ + new Yaml(options).dump(compose);
    }

    /** The value of every secret the services' containers read, by the variable compose.yaml interpolates for it. */
    public static Map<String, String> secretVariables(Path stacks) {
        Map<String, String> variables = new TreeMap<>();
        Path templates = Stack.templatesBeside(stacks);
        for (Stack stack : Stack.services(stacks)) {
            Path template = stack.templateFile(templates);
            TaskDefinitions.read(template, stack.parameters(), TaskDefinitions.LOCAL_EXPORTS).containers()
                    .forEach(container -> container.secrets().values().forEach(valueFrom ->
                            variables.put(secretVariable(valueFrom), LocalSecrets.beside(template).value(valueFrom))));
        }
        return variables;
    }

    /** A secret's variable: its name in capitals ({@code fnr/service-b/api-key}: {@code SECRET_FNR_SERVICE_B_API_KEY}). */
    static String secretVariable(String valueFrom) {
        return "SECRET_" + valueFrom.substring(valueFrom.lastIndexOf(":secret:") + 8).toUpperCase().replaceAll("[^A-Z0-9]", "_");
    }

    /**
     * The check as one CMD-SHELL string that runs the same command line: podman's Docker-compatible API (4.3)
     * splits a CMD check's arguments at spaces, which turns {@code bash -c "<script>"} into {@code bash -c exec}, a
     * check that always passes; a CMD-SHELL string is passed whole, by Docker and podman alike.
     */
    static List<String> shellForm(List<String> command) {
        if (command.get(0).equals("CMD-SHELL")) {
            return command;
        }
        StringBuilder line = new StringBuilder("exec");
        for (String argument : command.subList(1, command.size())) {
            line.append(" '").append(argument.replace("'", "'\\''")).append("'");
        }
        return List.of("CMD-SHELL", line.toString());
    }

    /**
     * Adds a task's containers; its owner waits for {@code startsAfter} (the owners of earlier tasks), healthy.
     * Returns those and this task's owner: what the next task waits for.
     */
    private static List<String> addTask(TaskDefinitions.Task task, List<Integer> published, List<String> startsAfter,
            Map<String, Object> services, Map<String, Object> volumes) {
        TaskDefinitions.Container owner = task.containers().stream().filter(c -> c.dependsOn().isEmpty()).findFirst()
                .orElseThrow(() -> new IllegalStateException(task.family() + ": every container depends on another"));
        List<String> ports = new ArrayList<>();
        List<String> exposed = new ArrayList<>();
        task.containers().forEach(c -> c.ports().forEach(port -> (published.contains(port) ? ports : exposed).add(
                published.contains(port) ? port + ":" + port : String.valueOf(port))));
        for (TaskDefinitions.Container container : task.containers()) {
            Map<String, Object> service = new LinkedHashMap<>();
            service.put("image", container.image());
            if (container.user() != null) {
                service.put("user", container.user());
            }
            service.put("read_only", container.readOnlyRoot());
            List<String> mounts = new ArrayList<>();
            for (TaskDefinitions.Mount mount : container.mounts()) {
                String volume = task.family().replaceFirst("^fnr-", "") + "-" + mount.volume();
                volumes.put(volume, null);
                mounts.add(volume + ":" + mount.containerPath() + (mount.readOnly() ? ":ro" : ""));
            }
            if (!mounts.isEmpty()) {
                service.put("volumes", mounts);
            }
            if (container == owner) {
                if (!ports.isEmpty()) {
                    service.put("ports", ports);
                }
                if (!exposed.isEmpty()) {
                    service.put("expose", exposed);
                }
            } else {
                service.put("network_mode", "service:" + owner.name());
            }
            Map<String, String> environment = new LinkedHashMap<>(container.environment());
            // A secret is compose's interpolation of a variable images/compose.sh passes (task-runner secrets), never
            // a value in this file: as ECS puts a secret in the environment, and no task definition holds it.
            container.secrets().forEach((variable, valueFrom) -> environment.put(variable,
                    "${" + secretVariable(valueFrom) + ":?run compose.yaml with images/compose.sh, which passes the local secrets}"));
            service.put("environment", environment);
            if (container.healthCheck() != null) {
                TaskDefinitions.HealthCheck check = container.healthCheck();
                Map<String, Object> health = new LinkedHashMap<>();
                // Compose interpolates $VAR in every value; $$ is a literal $ (the checks test $status).
                health.put("test", shellForm(check.command()).stream().map(part -> part.replace("$", "$$")).toList());
                health.put("interval", check.interval() + "s");
                health.put("timeout", check.timeout() + "s");
                health.put("retries", check.retries());
                health.put("start_period", check.startPeriod() + "s");
                service.put("healthcheck", health);
            }
            Map<String, Object> dependsOn = new LinkedHashMap<>();
            if (container == owner) {
                startsAfter.forEach(earlier -> dependsOn.put(earlier, Map.of("condition", "service_healthy")));
            }
            for (TaskDefinitions.Dependency dependency : container.dependsOn()) {
                dependsOn.put(dependency.container(), Map.of("condition",
                        dependency.condition().equals("HEALTHY") ? "service_healthy" : "service_started"));
            }
            if (!dependsOn.isEmpty()) {
                service.put("depends_on", dependsOn);
            }
            service.put("stop_grace_period", container.stopTimeout() + "s");
            if (task.containers().size() == 1) {
                // Fargate's task size bounds the whole task; compose can bound only each service, so only a task of
                // one container gets it (the web task's two JVMs share theirs, see docs/benchmarks.md).
                service.put("cpus", task.cpu() / 1024.0);
                service.put("mem_limit", task.memory() + "m");
            }
            services.put(container.name(), service);
        }
        List<String> owners = new ArrayList<>(startsAfter);
        owners.add(owner.name());
        return owners;
    }
}
