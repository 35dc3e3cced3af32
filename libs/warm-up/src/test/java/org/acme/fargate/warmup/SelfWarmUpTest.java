package org.acme.fargate.warmup;

import static org.acme.fargate.warmup.WarmUpProbe.check;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** A service with a warm-up of six seconds (application.properties): not ready until it has warmed up through its port. */
@QuarkusTest
class SelfWarmUpTest {

    @Test
    void theServiceIsReadyOnlyOnceItHasSentItsWarmUpRequestsThroughItsOwnPortAndThenSendsNoMore() throws Exception {
        JsonPath ready = WarmUpProbe.assertWarmingThenReady();
        int sent = WarmUpTarget.RECEIVED.size();

        Set<String> kinds = WarmUpTarget.RECEIVED.stream().collect(Collectors.toSet());
        assertEquals(Set.of("GET /catalog", "POST /quotes a-key {\"items\":[{\"sku\":\"TEA-001\",\"quantity\":1}]}"), kinds,
                "each request as configured, with its headers and body");
        assertTrue(sent > 30, "a few at a time for six seconds, not one each: " + sent);
        long requests = Long.parseLong(check(ready, "data.requests"));
        long failed = Long.parseLong(check(ready, "data.failed"));
        assertTrue(failed > 0 && failed < requests, "the path the service does not have failed, and the warm-up went on: " + ready.prettify());

        Thread.sleep(1_000);
        assertEquals(sent, WarmUpTarget.RECEIVED.size(), "no warm-up request after it is over");
    }
}
