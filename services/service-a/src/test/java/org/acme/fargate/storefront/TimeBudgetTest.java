package org.acme.fargate.storefront;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.junit.jupiter.api.Test;

/**
 * The time limits of the hops must fit inside each other, or a slow service-b turns into the wrong error: the
 * REST client must not give up before the attempt's @Timeout decides, and the sidecar must wait for every
 * attempt service-a may make before it answers 504 in service-a's place.
 */
class TimeBudgetTest {

    private static final Retry RETRY = PricingGateway.class.getAnnotation(Retry.class);
    private static final Timeout TIMEOUT = PricingGateway.class.getAnnotation(Timeout.class);

    static Properties properties(String module) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of("..", module, "src/main/resources/application.properties"))) {
            properties.load(reader);
        }
        return properties;
    }

    private static Duration attemptTimeout() {
        return Duration.of(TIMEOUT.value(), TIMEOUT.unit());
    }

    @Test
    void theRestClientWaitsAsLongAsTheAttemptTimeout() throws IOException {
        long readTimeout = Long.parseLong(properties("service-a").getProperty("quarkus.rest-client.service-b.read-timeout"));
        assertEquals(attemptTimeout().toMillis(), readTimeout,
                "read-timeout and @Timeout say the same thing; a smaller one would decide alone");
    }

    @Test
    void theSidecarWaitsForEveryAttemptServiceAMayMake() throws IOException {
        Duration delays = Duration.of(RETRY.delay() + RETRY.jitter(), RETRY.delayUnit()).multipliedBy(RETRY.maxRetries());
        Duration budget = attemptTimeout().multipliedBy(RETRY.maxRetries() + 1L).plus(delays);
        String sidecarTimeout = properties("frontend-sidecar").getProperty("sidecar.backend.response-timeout");
        Duration sidecar = Duration.ofSeconds(Long.parseLong(sidecarTimeout.replace("s", "")));
        assertTrue(sidecar.compareTo(budget) > 0, "the sidecar's response timeout " + sidecar
                + " exceeds service-a's worst case " + budget + ", so service-a's own 503 reaches the page");
    }

    @Test
    void retryAfterIsTheBreakersDelay() {
        CircuitBreaker breaker = PricingGateway.class.getAnnotation(CircuitBreaker.class);
        assertEquals(PricingGateway.RETRY_AFTER_SECONDS, Duration.of(breaker.delay(), breaker.delayUnit()).toSeconds());
    }
}
