package org.acme.fargate.balancing;

import io.quarkus.logging.Log;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ejected instances (host:port) of one service: those that recently took a call and gave no answer at all
 * (refused, reset, or closed before any HTTP response). They are left out of the rotation for the balancer's
 * {@code ejection-time}, then tried again. An HTTP answer, even a 5xx, never counts: the instance is there, and
 * retrying elsewhere is SmallRye Fault Tolerance's job.
 */
final class Ejections {

    private final Map<String, Long> ejectedUntilNanos = new ConcurrentHashMap<>();
    private final long ejectionNanos;

    Ejections(Duration ejectionTime) {
        this.ejectionNanos = ejectionTime.toNanos();
    }

    void eject(String address) {
        if (ejectedUntilNanos.put(address, System.nanoTime() + ejectionNanos) == null) {
            Log.warnf("No answer from %s: left out of the rotation for %d ms", address, ejectionNanos / 1_000_000);
        }
    }

    /**
     * Forgets instances that discovery no longer lists: an address that leaves and later comes back is a
     * new task (ECS may reuse a private IP, and locally ports are reused), which deserves a fresh start.
     */
    void forgetAllBut(Set<String> listedAddresses) {
        ejectedUntilNanos.keySet().retainAll(listedAddresses);
    }

    boolean anyEjected() {
        return !ejectedUntilNanos.isEmpty();
    }

    boolean isEjected(String address) {
        Long until = ejectedUntilNanos.get(address);
        if (until == null) {
            return false;
        }
        if (until - System.nanoTime() <= 0) {
            ejectedUntilNanos.remove(address, until);
            return false;
        }
        return true;
    }
}
