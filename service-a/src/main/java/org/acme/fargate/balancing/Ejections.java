package org.acme.fargate.balancing;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The ejected instances (host:port): those that recently took a call and gave no answer at all (refused,
 * reset, or closed before any HTTP response). They are left out of the rotation for
 * {@code service-b.ejection-time}, then tried again. An HTTP answer, even a 5xx, never counts: the instance is there, and retrying
 * elsewhere is SmallRye Fault Tolerance's job.
 */
@ApplicationScoped
public class Ejections {

    private final Map<String, Long> ejectedUntilNanos = new ConcurrentHashMap<>();
    private final long ejectionNanos;

    Ejections(@ConfigProperty(name = "service-b.ejection-time") Duration ejectionTime) {
        this.ejectionNanos = ejectionTime.toNanos();
    }

    public void eject(String address) {
        if (ejectedUntilNanos.put(address, System.nanoTime() + ejectionNanos) == null) {
            Log.warnf("No answer from %s: left out of the rotation for %d ms", address, ejectionNanos / 1_000_000);
        }
    }

    /**
     * Forgets instances that discovery no longer lists: an address that leaves and later comes back is a
     * new task (ECS may reuse a private IP, and locally ports are reused), which deserves a fresh start.
     */
    public void forgetAllBut(Set<String> listedAddresses) {
        ejectedUntilNanos.keySet().retainAll(listedAddresses);
    }

    public boolean anyEjected() {
        return !ejectedUntilNanos.isEmpty();
    }

    public boolean isEjected(String address) {
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
