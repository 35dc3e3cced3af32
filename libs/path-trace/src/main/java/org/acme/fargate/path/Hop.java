package org.acme.fargate.path;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.acme.fargate.ecs.TaskIdentity;

/**
 * One hop of a request's path: who served it and how long it took there.
 *
 * @param container        the container name (ECS task definition container name)
 * @param taskId           the ECS task id, or a local stand-in
 * @param availabilityZone the AZ the task runs in
 * @param privateIp        the task's private IPv4 address (awsvpc: shared by all containers of the task)
 * @param port             the port this container listens on
 * @param elapsedMs        time spent in this hop, including the hops after it
 * @param discovery        how this hop found the next one ({@code path-trace.discovery}), if it says
 * @param pickedInstance   the instance (host:port) this hop's client called and got its answer from
 * @param taskDefinition   the task's definition, {@code family:revision}: which fleet of a deployment served it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Hop(
        String container,
        String taskId,
        String availabilityZone,
        String privateIp,
        int port,
        Double elapsedMs,
        String discovery,
        String pickedInstance,
        String taskDefinition) {

    static Hop of(TaskIdentity identity, long startNanos, String discovery, String pickedInstance) {
        return new Hop(identity.container(), identity.taskId(), identity.availabilityZone(),
                identity.privateIp(), identity.port(), millisSince(startNanos), discovery, pickedInstance,
                identity.taskDefinition());
    }

    private static Double millisSince(long startNanos) {
        // Rounded to 0.01 ms: finer digits are noise on a shared host.
        return Math.round((System.nanoTime() - startNanos) / 10_000.0) / 100.0;
    }
}
