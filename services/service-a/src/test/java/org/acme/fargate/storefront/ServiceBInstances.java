package org.acme.fargate.storefront;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Three service-b instances as Stork's static list: one healthy, one answering 500, one dead
 * (connection refused). Every request must still succeed, on the healthy one.
 */
public class ServiceBInstances implements QuarkusTestResourceLifecycleManager {

    static ServiceBStandIn healthy;
    static ServiceBStandIn failing;

    @Override
    public Map<String, String> start() {
        healthy = ServiceBStandIn.healthy();
        failing = ServiceBStandIn.failing();
        return Map.of("quarkus.stork.service-b.service-discovery.address-list",
                String.join(",", ServiceBStandIn.deadAddress(), failing.address(), healthy.address()));
    }

    @Override
    public void stop() {
        healthy.close();
        failing.close();
    }
}
