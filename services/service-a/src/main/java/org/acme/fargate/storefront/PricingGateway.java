package org.acme.fargate.storefront;

import io.quarkus.cache.CacheResult;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Calls service-b with the resilience a caller of a fleet of tasks needs. Every call here is
 * idempotent (POST /quotes is a pure function of the basket), so all of them may be retried.
 *
 * <ul>
 *   <li>{@code @Retry}: each attempt is a new REST client call, for which Stork's load balancer picks the
 *       next instance, skipping one that just gave no answer ({@code ejecting-round-robin}); so a retry
 *       after a dead or draining instance goes elsewhere. 4xx answers ({@link PricingRejected}) are final.</li>
 *   <li>{@code @Timeout} per attempt, so a hung instance costs one attempt, not the whole request.</li>
 *   <li>{@code @CircuitBreaker}: when most calls fail (service-b down, not one task), stop calling for a
 *       while and answer 503 at once; that keeps service-a's threads free, so no cascading failure.
 *       The ratio is high on purpose: with one dead instance of two, half of the attempts fail but
 *       every request still succeeds on retry, and the breaker must not open then.</li>
 * </ul>
 * Numbers are overridable in application.properties ({@code Class/method/Annotation/param}).
 */
@ApplicationScoped
@Retry(maxRetries = 3, delay = 20, jitter = 20, abortOn = PricingRejected.class)
@Timeout(value = 2, unit = ChronoUnit.SECONDS)
@CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.75, delay = PricingGateway.RETRY_AFTER_SECONDS,
        delayUnit = ChronoUnit.SECONDS, skipOn = PricingRejected.class)
public class PricingGateway {

    /**
     * Seconds a client should wait before trying again when service-b cannot answer: the breaker's delay, so
     * that a client who waits as told finds the breaker ready to try service-b again.
     */
    public static final int RETRY_AFTER_SECONDS = 5;

    private final PricingClient client;

    PricingGateway(@RestClient PricingClient client) {
        this.client = client;
    }

    /**
     * The catalog changes only when service-b is deployed, so it is cached briefly: the page loads it on
     * every visit, and without the cache each visit would cost a call to service-b. (It also keeps
     * round-robin from locking into step with the page's two calls per load.)
     */
    @CacheResult(cacheName = "catalog")
    public List<Product> products() {
        return client.products();
    }

    public Product product(String sku) {
        return client.product(sku);
    }

    public Quote quote(QuoteRequest request) {
        return client.quote(request);
    }
}
