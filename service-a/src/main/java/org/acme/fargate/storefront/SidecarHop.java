package org.acme.fargate.storefront;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.acme.fargate.path.Hop;
import org.acme.fargate.path.PathHeaders;

/**
 * The frontend-sidecar describes itself in {@value PathHeaders#SIDECAR_HOP} (a JSON hop) and says when it received the
 * request in {@value PathHeaders#REQUEST_START} ({@code t=<epoch microseconds>}). It strips both from client
 * requests, so they cannot be forged from outside the task.
 */
@ApplicationScoped
public class SidecarHop {


    private final ObjectMapper json;

    SidecarHop(ObjectMapper json) {
        this.json = json;
    }

    /**
     * The sidecar's hop, its elapsed time measured up to now. The sidecar and service-a share one
     * task, hence one clock, so the two wall-clock readings can be compared.
     */
    public Optional<Hop> from(HttpServerRequest request) {
        String described = request.getHeader(PathHeaders.SIDECAR_HOP);
        if (described == null) {
            return Optional.empty();
        }
        try {
            Hop hop = json.readValue(described, Hop.class);
            return Optional.of(hop.withElapsedMs(elapsedSince(request.getHeader(PathHeaders.REQUEST_START))));
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
    }

    private static Double elapsedSince(String requestStart) {
        if (requestStart == null || !requestStart.startsWith("t=")) {
            return null;
        }
        try {
            long startMicros = Long.parseLong(requestStart.substring(2));
            long nowMicros = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
            return Math.max(0, nowMicros - startMicros) / 1000.0;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
