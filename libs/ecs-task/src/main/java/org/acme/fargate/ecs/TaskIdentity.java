package org.acme.fargate.ecs;

/**
 * The facts that identify where this container runs. Read once at start-up: on Fargate a task never
 * changes its AZ, private IP or task definition. {@code taskDefinition} is {@code family:revision}: during a
 * deployment the old and the new tasks of a service differ in their revision.
 */
public record TaskIdentity(String container, String taskId, String availabilityZone, String privateIp, int port,
        String taskDefinition) {
}
