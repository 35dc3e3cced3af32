package org.acme.fargate.path;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.MultiMap;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.UUID;
import java.util.regex.Pattern;
import org.acme.fargate.ecs.TaskIdentity;
import org.jboss.logging.MDC;

/**
 * The server end of the path trace, in every service that depends on this library: gives each request
 * an id (in the logging context, on the request for the next hop, on the response), and writes this
 * service's hop in front of the hops after it into the response's {@link PathHeaders#PATH}.
 *
 * <p>A Vert.x filter, not a JAX-RS one, so that it also sees what the sidecar proxies: there the hops after
 * it are already in the response, copied from service-a's; in service-a they were noted by
 * {@link DownstreamPathFilter} when service-b answered.
 */
@ApplicationScoped
public class PathTraceServerFilter {

    /** The logging context key: {@code %X{requestId}} in the console format, {@code mdc.requestId} in JSON. */
    public static final String MDC_KEY = "requestId";

    /** A client's id is kept only if it is short and plain, so it cannot forge or break log lines. */
    private static final Pattern PLAIN_ID = Pattern.compile("[A-Za-z0-9._:;=/+-]{1,200}");

    private final TaskIdentity identity;
    private final PathTraceConfig config;

    PathTraceServerFilter(TaskIdentity identity, PathTraceConfig config) {
        this.identity = identity;
        this.config = config;
    }

    // Before every other route, on the request's own Vert.x context, which Quarkus's MDC follows onto
    // worker threads.
    void register(@Observes Filters filters) {
        filters.register(rc -> {
            String sent = rc.request().getHeader(PathHeaders.REQUEST_ID);
            String requestId = sent != null && PLAIN_ID.matcher(sent).matches() ? sent : UUID.randomUUID().toString();
            // Set, never appended: what a proxy forwards is the id its logs carry.
            rc.request().headers().set(PathHeaders.REQUEST_ID, requestId);
            MDC.put(MDC_KEY, requestId);
            RequestPath path = RequestPath.start(requestId);
            rc.addHeadersEndHandler(headersAreBeingWritten -> {
                MultiMap headers = rc.response().headers();
                Hop hop = Hop.of(identity, path.arrivalNanos(), config.discovery().orElse(null), path.pickedInstance());
                headers.set(PathHeaders.REQUEST_ID, requestId);
                // The hops of the call this service made, or (in a proxy) those in the answer it relays.
                headers.set(PathHeaders.PATH, path.downstream()
                        .map(downstream -> PathJson.write(hop, downstream))
                        .orElseGet(() -> PathJson.write(hop, headers.get(PathHeaders.PATH))));
            });
            rc.next();
        }, 1_000);
    }
}
