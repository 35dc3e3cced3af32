package org.acme.fargate.system;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a task definition as ECS runs a task, with podman: one pod per task (the task's network namespace, as
 * awsvpc gives it one ENI), each container with the definition's image, user, read-only root, volumes, port
 * mappings, environment, CPU and memory, health check and stop timeout, started in the order its
 * {@code dependsOn} conditions set (HEALTHY: the dependency's own health check has passed).
 *
 * <p>Podman's health-check timers need systemd; here each check is run with {@code podman healthcheck run} at
 * the definition's interval, within its start period and retries, as the ECS agent would.
 */
final class TaskPods {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TaskPods() {
    }

    /** The pod's name and the container name podman uses for a task definition's container. */
    static String containerName(String pod, String container) {
        return pod + "-" + container;
    }

    /**
     * Starts the task as pod {@code pod}, publishing each port mapping on 127.0.0.1 at {@code hostPorts}
     * (container port to host port); {@code environment} overrides the definition's per container.
     */
    static void start(TaskDefinitions.Task task, String pod, Map<Integer, Integer> hostPorts,
            Map<String, Map<String, String>> environment) throws InterruptedException {
        stop(pod);
        List<String> create = new ArrayList<>(List.of("pod", "create", "--name", pod));
        hostPorts.forEach((containerPort, hostPort) -> create.addAll(List.of("-p", "127.0.0.1:" + hostPort + ":" + containerPort)));
        // The task size bounds the whole task, as Fargate's does (cgroupfs: the pod's cgroup).
        create.addAll(List.of("--cpus", String.valueOf(task.cpu() / 1024.0), "--memory", task.memory() + "m"));
        Podman.run(create.toArray(String[]::new));
        List<String> started = new ArrayList<>();
        while (started.size() < task.containers().size()) {
            boolean progressed = false;
            for (TaskDefinitions.Container container : task.containers()) {
                if (started.contains(container.name()) || !dependenciesMet(task, pod, container, started)) {
                    continue;
                }
                runContainer(pod, container, environment.getOrDefault(container.name(), Map.of()));
                started.add(container.name());
                progressed = true;
            }
            if (!progressed) {
                throw new IllegalStateException("the dependsOn conditions of " + task.family() + " cannot all be met");
            }
        }
    }

    private static boolean dependenciesMet(TaskDefinitions.Task task, String pod, TaskDefinitions.Container container,
            List<String> started)
            throws InterruptedException {
        for (TaskDefinitions.Dependency dependency : container.dependsOn()) {
            if (!started.contains(dependency.container())) {
                return false;
            }
            if (dependency.condition().equals("HEALTHY")) {
                awaitHealthy(pod, task.container(dependency.container()));
            }
        }
        return true;
    }

    private static void runContainer(String pod, TaskDefinitions.Container container, Map<String, String> overrides) {
        String name = containerName(pod, container.name());
        List<String> run = new ArrayList<>(List.of("run", "-d", "--pod", pod, "--name", name,
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
        Map<String, String> environment = new HashMap<>(container.environment());
        environment.putAll(overrides);
        environment.forEach((key, value) -> run.addAll(List.of("-e", key + "=" + value)));
        if (container.healthCheck() != null) {
            run.addAll(List.of("--health-cmd", healthCommand(container.healthCheck().command()),
                    "--health-interval", "disable", "--health-retries", String.valueOf(container.healthCheck().retries()),
                    "--health-timeout", container.healthCheck().timeout() + "s",
                    "--health-start-period", container.healthCheck().startPeriod() + "s"));
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
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs the container's health check until it passes; fails when ECS would have marked it UNHEALTHY: after the
     * start period and then {@code retries} failed checks at the interval. (It checks every second, more often
     * than ECS, so that a test does not wait out intervals.)
     */
    static void awaitHealthy(String pod, TaskDefinitions.Container container) throws InterruptedException {
        String name = containerName(pod, container.name());
        TaskDefinitions.HealthCheck check = container.healthCheck();
        long bound = check.startPeriod() + (long) check.retries() * (check.interval() + check.timeout());
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(bound);
        LocalTopology.Result last = null;
        while (System.nanoTime() < deadline) {
            last = Podman.attempt("healthcheck", "run", name);
            if (last.exitCode() == 0) {
                return;
            }
            Thread.sleep(1_000);
        }
        throw new AssertionError(name + " was not healthy within " + bound + " s: " + last + "\n" + Podman.attempt("logs", name).output());
    }

    /**
     * What the ECS agent does while a task runs: when an essential container exits, it stops the task (every other
     * container gets SIGTERM, then SIGKILL after its stop timeout) with the reason ECS gives. Watches until closed.
     */
    static EssentialWatch watchEssentials(TaskDefinitions.Task task, String pod) {
        return new EssentialWatch(task, pod);
    }

    static final class EssentialWatch implements AutoCloseable {

        static final String REASON = "Essential container in task exited";

        private final Thread watcher;
        private volatile String stoppedReason;

        private EssentialWatch(TaskDefinitions.Task task, String pod) {
            int longest = task.containers().stream().mapToInt(TaskDefinitions.Container::stopTimeout).max().orElse(30);
            watcher = new Thread(() -> {
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        for (TaskDefinitions.Container container : task.containers()) {
                            String state = Podman.attempt("inspect", "--format", "{{.State.Status}}",
                                    containerName(pod, container.name())).output().trim();
                            if (container.essential() && state.equals("exited")) {
                                stoppedReason = REASON + ": " + container.name();
                                Podman.attempt("pod", "stop", "-t", String.valueOf(longest), pod);
                                return;
                            }
                        }
                        Thread.sleep(500);
                    }
                } catch (InterruptedException closed) {
                    Thread.currentThread().interrupt();
                }
            }, "ecs-agent-" + pod);
            watcher.setDaemon(true);
            watcher.start();
        }

        /** Waits until the task has stopped for an essential container, at most the given seconds; ECS's stoppedReason. */
        String awaitStopped(long seconds) throws InterruptedException {
            watcher.join(seconds * 1000);
            return stoppedReason;
        }

        @Override
        public void close() {
            watcher.interrupt();
        }
    }

    static void stop(String pod) {
        Podman.attempt("pod", "rm", "-f", "-t", "5", pod);
        for (String volume : Podman.attempt("volume", "ls", "-q").output().lines().toList()) {
            if (volume.startsWith(pod + "-")) {
                Podman.attempt("volume", "rm", "-f", volume);
            }
        }
    }
}
