package org.acme.fargate.ecs;

/**
 * The facts that identify where this container runs. Read once at start-up: on Fargate a task never
 * changes its AZ or private IP.
 */
public record TaskIdentity(String container, String taskId, String availabilityZone, String privateIp, int port) {
}
