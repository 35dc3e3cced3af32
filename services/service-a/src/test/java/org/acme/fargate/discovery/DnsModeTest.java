package org.acme.fargate.discovery;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;

/** SERVICE_B_DISCOVERY=dns: Stork DNS discovery of the SRV records, against cloudmap-local's DNS over UDP. */
@QuarkusTest
@TestProfile(DnsModeTest.Mode.class)
@QuarkusTestResource(value = CloudMapLocal.class, restrictToAnnotatedClass = true)
class DnsModeTest extends DiscoveryContract {

    public static class Mode implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("service-b.discovery", "dns",
                    "quarkus.stork.service-b.service-discovery.refresh-period", "1S");
        }
    }

    @Override
    String mode() {
        return "dns";
    }
}
