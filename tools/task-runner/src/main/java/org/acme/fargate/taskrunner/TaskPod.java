package org.acme.fargate.taskrunner;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One task definition run as ECS runs a task, with podman: one pod per task (the task's network namespace, as
 * awsvpc gives a task one ENI, and its cgroup, which the task size bounds), each container with the definition's
 * image, user, read-only root, volumes, port mappings, environment, health check and stop timeout, started in the
 * order its {@code dependsOn} conditions set (HEALTHY: the dependency's own health check has passed). Its secrets
 * are in its environment, as ECS puts them there: each valueFrom read from {@link LocalSecrets}.
 *
 * <p>Podman's health-check timers need systemd; here each check is run with {@code podman healthcheck run}, as
 * the ECS agent runs it: through the same command, at the definition's interval, within its start period and
 * retries ({@link TaskAgent}).
 */
public final class TaskPod {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TaskDefinitions.Task task;
    private final String pod;
    private final LocalSecrets secrets;

    public TaskPod(TaskDefinitions.Task task, String pod, LocalSecrets secrets) {
        this.task = task;
        this.pod = pod;
        this.secrets = secrets;
    }

    public TaskDefinitions.Task task() {
        return task;
    }

    public String name() {
        return pod;
    }

    /** The name podman knows one of the task's containers by. */
    public String containerName(String container) {
        return pod + "-" + container;
    }

    /**
     * Creates the pod, replacing any left from an earlier run. With {@code ownNetwork} the pod gets a network
     * namespace with nothing but loopback, for the caller to give an interface ({@code ip netns attach} on
     * {@link #networkNamespacePid()}), as Fargate attaches the task's ENI; otherwise podman's own network, with
     * each port mapping of {@code hostPorts} (container port to host port) published on 127.0.0.1.
     */
    public void create(Map<Integer, Integer> hostPorts, boolean ownNetwork) {
        remove();
        List<String> create = new ArrayList<>(List.of("pod", "create", "--name", pod));
        if (ownNetwork) {
            create.addAll(List.of("--network", "none"));
        }
        hostPorts.forEach((containerPort, hostPort) -> create.addAll(List.of("-p", "127.0.0.1:" + hostPort + ":" + containerPort)));
        // The task size bounds the whole task, as Fargate's does (cgroupfs: the pod's cgroup).
        create.addAll(List.of("--cpus", String.valueOf(task.cpu() / 1024.0), "--memory", task.memory() + "m"));
        Podman.run(create.toArray(String[]::new));
        Podman.run("pod", "start", pod);
    }

    /** The PID of the process holding the pod's network namespace (its infra container). */
    public String networkNamespacePid() {
        String infra = Podman.run("pod", "inspect", "--format", "{{.InfraContainerID}}", pod).trim();
        return Podman.run("inspect", "--format", "{{.State.Pid}}", infra).trim();
    }

    public boolean exists() {
        return Podman.attempt("pod", "exists", pod).exitCode() == 0;
    }

    /**
     * Starts every container in {@code dependsOn} order, creating the pod first (podman's network, nothing
     * published) unless it exists. {@code environment} adds to or overrides the definition's, per container;
     * {@code files} are bind-mounted read-only into every container (a host path to a container path).
     *
     * @return the containers' names in the order they started
     */
    public List<String> start(Map<String, Map<String, String>> environment, Map<Path, String> files)
            throws InterruptedException {
        if (!exists()) {
            create(Map.of(), false);
        }
        List<String> started = new ArrayList<>();
        for (TaskDefinitions.Container container : dependencyOrder()) {
            for (TaskDefinitions.Dependency dependency : container.dependsOn()) {
                if (dependency.condition().equals("HEALTHY")) {
                    awaitHealthy(task.container(dependency.container()));
                }
            }
            runContainer(container, environment.getOrDefault(container.name(), Map.of()), files);
            started.add(container.name());
        }
        return started;
    }

    public List<String> start(Map<String, Map<String, String>> environment) throws InterruptedException {
        return start(environment, Map.of());
    }

    /** The containers, each after those it depends on: the order ECS starts them in, and stops them in reverse. */
    private List<TaskDefinitions.Container> dependencyOrder() {
        List<TaskDefinitions.Container> order = new ArrayList<>();
        List<String> placed = new ArrayList<>();
        while (order.size() < task.containers().size()) {
            int before = order.size();
            for (TaskDefinitions.Container container : task.containers()) {
                if (!placed.contains(container.name())
                        && container.dependsOn().stream().allMatch(dependency -> placed.contains(dependency.container()))) {
                    order.add(container);
                    placed.add(container.name());
                }
            }
            if (order.size() == before) {
                throw new IllegalStateException("the dependsOn conditions of " + task.family() + " cannot all be met");
            }
        }
        return order;
    }

    private void runContainer(TaskDefinitions.Container container, Map<String, String> overrides, Map<Path, String> files) {
        List<String> run = new ArrayList<>(List.of("run", "-d", "--pod", pod, "--name", containerName(container.name()),
                "--stop-timeout", String.valueOf(container.stopTimeout())));
        if (container.user() != null) {
            run.addAll(List.of("--user", container.user()));
        }
        if (container.readOnlyRoot()) {
            run.add("--read-only");
            run.add("--read-only-tmpfs=false"); // only the task's volumes are writable, as on Fargate
        }
        for (TaskDefinitions.Mount mount : container.mounts()) {
            run.addAll(List.of("-v", pod + "-" + mount.volume() + ":" + mount.containerPath() + (mount.readOnly() ? ":ro" : ":rw")));
        }
        files.forEach((host, path) -> {
            if (Files.exists(host)) {
                run.addAll(List.of("-v", host + ":" + path + ":ro"));
            }
        });
        Map<String, String> environment = new LinkedHashMap<>(container.environment());
        container.secrets().forEach((variable, valueFrom) -> environment.put(variable, secrets.value(valueFrom)));
        environment.putAll(overrides);
        environment.forEach((key, value) -> run.addAll(List.of("-e", key + "=" + value)));
        if (container.healthCheck() != null) {
            TaskDefinitions.HealthCheck check = container.healthCheck();
            run.addAll(List.of("--health-cmd", healthCommand(check.command()), "--health-interval", "disable",
                    "--health-retries", String.valueOf(check.retries()), "--health-timeout", check.timeout() + "s",
                    "--health-start-period", check.startPeriod() + "s"));
        }
        run.add(container.image());
        Podman.run(run.toArray(String[]::new));
    }

    /** ECS's health-check command as podman takes it: CMD is exec form (a JSON array), CMD-SHELL a string for /bin/sh. */
    static String healthCommand(List<String> command) {
        try {
            return switch (command.get(0)) {
                case "CMD" -> JSON.writeValueAsString(command.subList(1, command.size()));
                case "CMD-SHELL" -> command.get(1);
                default -> throw new IllegalArgumentException("not an ECS health-check command: " + command);
            };
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs a container's health check once: true when it passed. */
    public boolean checkHealth(String container) {
        return Podman.attempt("healthcheck", "run", containerName(container)).exitCode() == 0;
    }

    /**
     * Runs the container's health check until it passes; fails when ECS would have marked it UNHEALTHY: after the
     * start period and then {@code retries} failed checks at the interval. (It checks every second, more often
     * than ECS, so that nothing waits out intervals.)
     */
    public void awaitHealthy(TaskDefinitions.Container container) throws InterruptedException {
        TaskDefinitions.HealthCheck check = container.healthCheck();
        long bound = check.startPeriod() + (long) check.retries() * (check.interval() + check.timeout());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(bound);
        while (System.nanoTime() < deadline) {
            if (checkHealth(container.name())) {
                return;
            }
            if ("exited".equals(states().get(container.name()))) {
                break;
            }
            Thread.sleep(1_000);
        }
        throw new IllegalStateException(containerName(container.name()) + " was not healthy within " + bound + " s:\n"
                + Podman.attempt("logs", "--tail", "40", containerName(container.name())).output());
    }

    /**
     * podman's state of each of the task's containers, by its name in the definition: up, exited, created, ...
     * (the first word of {@code podman ps}'s state, which 4.3 prints as "Exited (0) 2 seconds ago").
     */
    public Map<String, String> states() {
        Map<String, String> states = new LinkedHashMap<>();
        String listing = Podman.run("ps", "-a", "--filter", "pod=" + pod, "--format", "{{.Names}} {{.State}}");
        for (String line : listing.lines().toList()) {
            String[] nameAndState = line.split(" ", 2);
            if (nameAndState.length == 2 && nameAndState[0].startsWith(pod + "-")) {
                states.put(nameAndState[0].substring(pod.length() + 1), nameAndState[1].trim().split(" ", 2)[0].toLowerCase(java.util.Locale.ROOT));
            }
        }
        return states;
    }

    /**
     * Stops the task as ECS does: each container gets SIGTERM and, after its own stop timeout, SIGKILL; a
     * container stops before those it depends on (the sidecar drains while service-a still answers).
     */
    public void stop() {
        List<TaskDefinitions.Container> order = new ArrayList<>(dependencyOrder());
        java.util.Collections.reverse(order);
        for (TaskDefinitions.Container container : order) {
            Podman.attempt("stop", "-t", String.valueOf(container.stopTimeout()), containerName(container.name()));
        }
    }

    /** Removes the pod, its containers and the task's volumes; nothing is left when there was none. */
    public void remove() {
        Podman.attempt("pod", "rm", "-f", "-t", "5", pod);
        for (String volume : Podman.attempt("volume", "ls", "-q").output().lines().toList()) {
            if (volume.startsWith(pod + "-")) {
                Podman.attempt("volume", "rm", "-f", volume);
            }
        }
    }
}
