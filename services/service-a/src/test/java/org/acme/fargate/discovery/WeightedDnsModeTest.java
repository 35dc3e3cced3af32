package org.acme.fargate.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;
import io.vertx.core.dns.DnsClient;
import io.vertx.core.dns.SrvRecord;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * SERVICE_B_DISCOVERY=dns against a Cloud Map service with WEIGHTED routing, where every DNS answer
 * holds one random instance: the same contract (requests spread over both instances, changes seen within
 * a refresh, ...) holds because the dns provider samples the answer (SampledDnsServiceDiscovery).
 */
@QuarkusTest
@TestProfile(DnsModeTest.Mode.class)
@QuarkusTestResource(value = CloudMapLocal.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = "routing-policy", value = "WEIGHTED"))
class WeightedDnsModeTest extends DiscoveryContract {

    @Inject
    Vertx vertx;

    @Override
    String mode() {
        return "dns";
    }

    @Test
    void eachDnsAnswerHoldsOneInstance() throws Exception {
        DnsClient dns = vertx.createDnsClient(CloudMapLocal.DNS_PORT, "127.0.0.1");
        for (int i = 0; i < 5; i++) {
            List<SrvRecord> answer = dns.resolveSRV("service-b.shop.internal").toCompletionStage()
                    .toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertEquals(1, answer.size(), "a WEIGHTED answer holds one record: " + answer);
        }
    }
}
