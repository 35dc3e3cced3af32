package org.acme.fargate.path;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.MDC;

/**
 * Notes when a request arrived (for its hop's elapsed time) and puts its request id into the logging
 * context, so every log line of a request (JSON in prod, for CloudWatch Logs Insights) can be found
 * by it. The sidecar assigns the id; later hops receive it in {@link PathHeaders#REQUEST_ID}.
 */
@ApplicationScoped
public class RequestTracking {

    public static final String MDC_KEY = "requestId";
    private static final String ARRIVAL = "path-trace.arrival-nanos";

    /** When the request arrived, in {@link System#nanoTime()} units. */
    public static long arrivalNanos(RoutingContext rc) {
        Long arrival = rc.get(ARRIVAL);
        return arrival != null ? arrival : System.nanoTime();
    }

    // Runs before every other route, on the request's own Vert.x context, which Quarkus's MDC follows
    // onto worker threads.
    void register(@Observes Filters filters) {
        filters.register(rc -> {
            rc.put(ARRIVAL, System.nanoTime());
            String requestId = rc.request().getHeader(PathHeaders.REQUEST_ID);
            if (requestId != null) {
                MDC.put(MDC_KEY, requestId);
            } else {
                MDC.remove(MDC_KEY);
            }
            rc.next();
        }, 1_000);
    }
}
