package org.acme.fargate.discovery;

import static io.restassured.RestAssured.given;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SERVICE_B_DISCOVERY=dns: Stork DNS discovery of the SRV records, against cloudmap-local's DNS over UDP. */
@QuarkusTest
@TestProfile(DnsModeTest.Mode.class)
@QuarkusTestResource(value = CloudMapLocal.class, restrictToAnnotatedClass = true)
class DnsModeTest extends DiscoveryContract {

    public static class Mode implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.stork.service-b.service-discovery.type", "dns",
                    "quarkus.stork.service-b.service-discovery.refresh-period", "1S");
        }
    }

    @Override
    Duration propagation() {
        return REFRESH;
    }

    @Test
    void thePathNamesTheMode() {
        given().get("/api/path").then().statusCode(200).body("path[0].discovery", org.hamcrest.Matchers.equalTo("dns"));
    }
}
