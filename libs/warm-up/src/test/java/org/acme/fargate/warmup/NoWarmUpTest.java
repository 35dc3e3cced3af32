package org.acme.fargate.warmup;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** warm-up.duration=0S, the default: ready at once, and no request sent. */
@QuarkusTest
@TestProfile(NoWarmUpTest.Off.class)
class NoWarmUpTest {

    public static class Off implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("warm-up.duration", "0S");
        }
    }

    @Test
    void withoutAWarmUpTheServiceIsReadyAtOnceAndSendsItselfNothing() throws Exception {
        WarmUpTarget.RECEIVED.clear();
        given().get("/q/health/ready").then().statusCode(200).body("checks.find { it.name == 'warm-up' }.status", is("UP"));
        Thread.sleep(1_000);
        assertEquals(List.of(), WarmUpTarget.RECEIVED);
    }
}
