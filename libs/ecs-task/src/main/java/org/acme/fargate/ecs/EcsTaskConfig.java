package org.acme.fargate.ecs;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
import java.util.Optional;

/**
 * Where to learn who we are: the ECS metadata endpoint on AWS, local facts elsewhere. Defaults are in
 * META-INF/microprofile-config.properties, written once for every service.
 */
@ConfigMapping(prefix = "ecs-task")
public interface EcsTaskConfig {

    /** Name of this container, as in the ECS task definition. */
    String containerName();

    /**
     * The ECS task metadata endpoint v4. ECS injects {@code ECS_CONTAINER_METADATA_URI_V4} into every
     * container of a Fargate task (platform 1.4.0+); when it is absent we are not on ECS.
     */
    @WithName("metadata-uri")
    Optional<String> metadataUri();

    /** Local runs: the id shown for this "task". */
    String localTaskId();

    /** Local runs: the AZ of this "task" (run-local.sh gives each instance its own). */
    String localAvailabilityZone();

    /** Local runs: the task definition shown, {@code family:revision} (run-local.sh counts deployments). */
    String localTaskDefinition();

    /** Local runs: the IP shown; defaults to the first site-local IPv4 address of this host. */
    Optional<String> localPrivateIp();
}
