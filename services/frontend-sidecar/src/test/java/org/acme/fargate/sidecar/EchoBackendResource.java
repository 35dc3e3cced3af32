package org.acme.fargate.sidecar;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

public class EchoBackendResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return EchoBackend.config();
    }

    @Override
    public void stop() {
        // The backend outlives each Quarkus start, so test classes can share it.
    }
}
