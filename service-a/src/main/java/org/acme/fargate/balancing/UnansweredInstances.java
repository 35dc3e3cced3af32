package org.acme.fargate.balancing;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The instances (host:port) that recently took a call and gave no answer at all: refused, reset, or
 * closed before any HTTP response. They are left out of the rotation for {@code service-b.ejection-time},
 * then tried again. An HTTP answer, even a 5xx, never counts: the instance is there, and retrying
 * elsewhere is SmallRye Fault Tolerance's job.
 */
@ApplicationScoped
public class UnansweredInstances {

    private final Map<String, Long> ejectedUntilNanos = new ConcurrentHashMap<>();
    private final long ejectionNanos;

    UnansweredInstances(@ConfigProperty(name = "service-b.ejection-time") Duration ejectionTime) {
        this.ejectionNanos = ejectionTime.toNanos();
    }

    public void noAnswerFrom(String address) {
        ejectedUntilNanos.put(address, System.nanoTime() + ejectionNanos);
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
