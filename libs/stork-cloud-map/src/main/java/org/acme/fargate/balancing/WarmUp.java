package org.acme.fargate.balancing;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Slow start on the client side, for one service: an instance that discovery lists for the first time while others
 * already serve gets a share of requests that grows over the balancer's {@code slow-start}, from a tenth of a full
 * share to all of it, linearly (Envoy's slow start mode with its default aggression and minimum weight). A new
 * task answers its health check long before its JIT has compiled the code it runs: a full share at once is
 * slow answers and timeouts (docs/deployments.md). The instances of the first list the balancer sees are warm:
 * they served before it started. Stork's balancers have no slow start, so it is written here.
 */
final class WarmUp {

    /** The share an instance gets when it appears, as a fraction of a warm one's (Envoy's min_weight_percent). */
    static final double FIRST_WEIGHT = 0.1;

    private final long windowNanos;
    private final LongSupplier clock;
    private final Map<String, Long> firstListedNanos = new ConcurrentHashMap<>();
    private volatile boolean anyListed;

    WarmUp(Duration window) {
        this(window, System::nanoTime);
    }

    WarmUp(Duration window, LongSupplier clock) {
        this.windowNanos = window.toNanos();
        this.clock = clock;
    }

    /** Notes the instances discovery lists now; forgets the others (one that comes back is a new task). */
    void listed(Set<String> addresses) {
        if (firstListedNanos.keySet().equals(addresses)) {
            return; // the same list as at the last request: nothing to note (the usual case)
        }
        long now = clock.getAsLong();
        // The first list: warm already, as if listed a whole window ago.
        long since = anyListed ? now : now - windowNanos;
        addresses.forEach(address -> firstListedNanos.putIfAbsent(address, since));
        firstListedNanos.keySet().retainAll(addresses);
        anyListed = true;
    }

    /** The instance's weight: from {@link #FIRST_WEIGHT} when first listed to 1 once the window has passed. */
    double weight(String address) {
        Long since = firstListedNanos.get(address);
        if (since == null || windowNanos == 0) {
            return 1;
        }
        double warmed = (double) (clock.getAsLong() - since) / windowNanos;
        return Math.max(FIRST_WEIGHT, Math.min(1, warmed));
    }
}
