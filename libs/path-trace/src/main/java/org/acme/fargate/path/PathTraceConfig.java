package org.acme.fargate.path;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/** The path trace's one setting; who each hop is comes from ecs-task. */
@ConfigMapping(prefix = "path-trace")
public interface PathTraceConfig {

    /** How this service finds the one it calls, shown in its hop (service-a: its service-b discovery mode). */
    Optional<String> discovery();
}
