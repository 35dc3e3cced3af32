package org.acme.fargate.cloudmap;

import java.util.Map;
import java.util.Optional;

/**
 * A registered instance. ECS registers each task with {@code AWS_INSTANCE_IPV4}, {@code AWS_INSTANCE_PORT},
 * {@code AVAILABILITY_ZONE}, {@code AWS_INIT_HEALTH_STATUS}, {@code ECS_CLUSTER_NAME},
 * {@code ECS_SERVICE_NAME} and {@code ECS_TASK_DEFINITION_FAMILY}.
 */
public record Instance(String id, String creatorRequestId, Map<String, String> attributes, boolean healthy) {

    public static final String IPV4 = "AWS_INSTANCE_IPV4";
    public static final String IPV6 = "AWS_INSTANCE_IPV6";
    public static final String PORT = "AWS_INSTANCE_PORT";
    public static final String CNAME = "AWS_INSTANCE_CNAME";
    public static final String INIT_HEALTH = "AWS_INIT_HEALTH_STATUS";

    public Instance withHealth(boolean isHealthy) {
        return new Instance(id, creatorRequestId, attributes, isHealthy);
    }

    public String healthStatus() {
        return healthy ? "HEALTHY" : "UNHEALTHY";
    }

    public Optional<String> ipv4() {
        return Optional.ofNullable(attributes.get(IPV4));
    }

    public Optional<String> ipv6() {
        return Optional.ofNullable(attributes.get(IPV6));
    }

    public Optional<String> cname() {
        return Optional.ofNullable(attributes.get(CNAME));
    }

    public int port() {
        String port = attributes.get(PORT);
        return port == null ? 80 : Integer.parseInt(port);
    }
}
