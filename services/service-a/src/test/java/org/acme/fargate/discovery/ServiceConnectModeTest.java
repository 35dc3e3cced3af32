package org.acme.fargate.discovery;

import static io.restassured.RestAssured.given;
import static org.acme.fargate.storefront.TracedRequests.path;
import static org.acme.fargate.storefront.TracedRequests.picked;
import static org.acme.fargate.storefront.TracedRequests.traced;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.Map;
import org.acme.fargate.storefront.ServiceBStandIn;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * service-connect, as the web template sets it: the mode's own word, and one fixed name for service-b (the
 * client alias), resolved when connecting, as the Service Connect proxy's alias is in the task.
 */
@QuarkusTest
@TestProfile(ServiceConnectModeTest.ThroughAnAlias.class)
class ServiceConnectModeTest {

    public static class ThroughAnAlias implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // The stand-in plays the proxy; it lives as long as the test JVM.
            String proxy = ServiceBStandIn.healthy().address();
            return Map.of("service-b.discovery", "service-connect",
                    "quarkus.stork.service-b.service-discovery.address-list", proxy.replace("127.0.0.1", "localhost"));
        }
    }

    @ConfigProperty(name = "quarkus.stork.service-b.service-discovery.address-list")
    String alias;

    @Test
    void callsTheAliasAndSaysWhichModeItUses() {
        Response traced = traced();
        assertEquals(200, traced.statusCode());
        assertEquals("service-connect", path(traced).getString("[0].discovery"));
        assertEquals(alias, picked(traced));
        given().get("/api/products").then().statusCode(200).body("[0].sku", equalTo("TEA-001"));
    }
}
