package org.acme.fargate.taskrunner;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the ECS agent does while a task runs: it runs each container's health check at the definition's interval
 * (failures within the start period do not count; {@code retries} failures in a row make it UNHEALTHY), and it
 * stops the task, with the {@code stoppedReason} ECS gives, when an essential container exits or turns UNHEALTHY.
 * The ECS service scheduler then starts a replacement; here whoever runs the agent does (run-local.sh's scale).
 */
public final class TaskAgent {

    public static final String ESSENTIAL_CONTAINER_EXITED = "Essential container in task exited";
    public static final String FAILED_HEALTH_CHECKS = "Task failed container health checks";

    private final TaskPod pod;
    private final PrintStream events;
    private volatile boolean stopRequested;

    public TaskAgent(TaskPod pod, PrintStream events) {
        this.pod = pod;
        this.events = events;
    }

    /**
     * Watches the running task until it stops itself (returns ECS's stoppedReason, the task stopped) or until
     * {@link #requestStop()} (returns null, the task still running, for the caller to stop).
     */
    public String watch() throws InterruptedException {
        long started = System.nanoTime();
        Map<String, Long> nextCheck = new HashMap<>();
        Map<String, Integer> failures = new HashMap<>();
        Map<String, String> health = new HashMap<>();
        while (!stopRequested) {
            Map<String, String> states = pod.states(); // one podman call a tick for the whole task
            for (TaskDefinitions.Container container : pod.task().containers()) {
                String name = container.name();
                if (container.essential() && "exited".equals(states.get(name))) {
                    return stopTask(ESSENTIAL_CONTAINER_EXITED + ": " + name);
                }
                TaskDefinitions.HealthCheck check = container.healthCheck();
                long now = System.nanoTime();
                if (check == null || now < nextCheck.getOrDefault(name, 0L)) {
                    continue;
                }
                nextCheck.put(name, now + TimeUnit.SECONDS.toNanos(check.interval()));
                boolean inStartPeriod = now - started < TimeUnit.SECONDS.toNanos(check.startPeriod());
                String status = health.getOrDefault(name, "UNKNOWN");
                if (pod.checkHealth(name)) {
                    failures.put(name, 0);
                    status = "HEALTHY";
                } else if (!inStartPeriod && failures.merge(name, 1, Integer::sum) >= check.retries()) {
                    status = "UNHEALTHY";
                }
                if (!status.equals(health.put(name, status))) {
                    events.println("task " + pod.name() + ": container " + name + " is " + status);
                }
                if (status.equals("UNHEALTHY") && container.essential()) {
                    return stopTask(FAILED_HEALTH_CHECKS + ": " + name);
                }
            }
            Thread.sleep(1_000);
        }
        return null;
    }

    /** Makes {@link #watch()} return; the task keeps running. */
    public void requestStop() {
        stopRequested = true;
    }

    private String stopTask(String reason) {
        events.println("task " + pod.name() + ": stopping: " + reason);
        pod.stop();
        return reason;
    }
}
