package org.acme.fargate.balancing;

import static org.acme.fargate.storefront.TracedRequests.traced;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import java.util.Map;
import org.acme.fargate.storefront.ServiceBStandIn;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.junit.jupiter.api.Test;

/**
 * Two downstream services with {@code ejecting-round-robin} in one application, as a fork that adds one has: the
 * ejections of one never touch the other. service-b has a healthy instance and one that closes every connection
 * unanswered; "inventory" (a client of this test's) has one healthy instance. Once service-b has ejected its bad
 * instance, calls to inventory must not bring it back into service-b's rotation.
 */
@QuarkusTest
@QuarkusTestResource(value = TwoServicesTest.TwoServices.class, restrictToAnnotatedClass = true)
class TwoServicesTest {

    @RegisterRestClient(configKey = "inventory")
    @RegisterProvider(EjectOnNoAnswerFilter.class)
    interface InventoryClient {
        @GET
        @Path("/products")
        String products();
    }

    public static class TwoServices implements QuarkusTestResourceLifecycleManager {
        static ServiceBStandIn serviceB;
        static EjectingRoundRobinTest.SilentInstance silent;
        static ServiceBStandIn inventory;

        @Override
        public Map<String, String> start() {
            serviceB = ServiceBStandIn.healthy();
            silent = new EjectingRoundRobinTest.SilentInstance();
            inventory = ServiceBStandIn.healthy();
            return Map.of(
                    "quarkus.stork.service-b.service-discovery.address-list", serviceB.address() + "," + silent.address(),
                    // Longer than this test: only another service's selections could bring it back.
                    "quarkus.stork.service-b.load-balancer.ejection-time", "5M",
                    "quarkus.rest-client.inventory.url", "stork://inventory",
                    "quarkus.rest-client.inventory.headers.X-Api-Key", ServiceBStandIn.KEY,
                    "quarkus.stork.inventory.service-discovery.type", "static",
                    "quarkus.stork.inventory.service-discovery.address-list", inventory.address(),
                    "quarkus.stork.inventory.load-balancer.type", "ejecting-round-robin");
        }

        @Override
        public void stop() {
            serviceB.close();
            silent.close();
            inventory.close();
        }
    }

    @Inject
    @RestClient
    InventoryClient inventory;

    @Test
    void oneServicesEjectionsSurviveTheOthersCalls() {
        for (int i = 0; i < 20; i++) {
            assertEquals(200, traced().statusCode());
        }
        assertEquals(1, TwoServices.silent.connections(), "service-b tried its silent instance once, then left it out");
        for (int i = 0; i < 10; i++) {
            assertTrue(inventory.products().contains("TEA-001"));
        }
        for (int i = 0; i < 20; i++) {
            assertEquals(200, traced().statusCode());
        }
        assertEquals(1, TwoServices.silent.connections(), "inventory's calls did not bring it back into service-b's rotation");
        assertTrue(EjectingRoundRobinTest.serviceB().isEjected(TwoServices.silent.address()));
    }
}
