package org.acme.fargate.tracing;

import io.opentelemetry.api.trace.Span;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.handler.LoggerFormat;
import io.vertx.ext.web.handler.LoggerHandler;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * With {@code tracing.access-log=true} (TRACING_ACCESS_LOG; ./run-local.sh --traces sets it), every sampled request leaves
 * one access-log line, written by Vert.x Web's {@link LoggerHandler} when the answer is out, in the request's logging
 * context: the line a Logs Insights query finds by trace id ({@code mdc.traceId}) in each container's logs, even for a
 * request that logs nothing else (docs/observability.md). Off by default: the request's span says the same in X-Ray,
 * and the line cost more CPU than the rest of a sampled request's tracing.
 *
 * <p>A filter rather than Quarkus's own access log, which needs Quarkus's HTTP server: the sidecar's public port is
 * a server of its own, and it runs the filters that layers register.
 */
@Singleton
public class AccessLogFilter {

    /** Before the path trace and everything else, so that its line times the whole request. */
    static final int PRIORITY = Integer.MAX_VALUE - 1;

    void register(@Observes Filters filters, TracingConfig config,
            @ConfigProperty(name = "quarkus.otel.sdk.disabled") boolean sdkDisabled) {
        if (config.accessLog() && !sdkDisabled) {
            LoggerHandler accessLog = LoggerHandler.create(LoggerFormat.SHORT);
            // A sampled request only: the line exists to find a trace's requests, and an untraced one has none.
            filters.register(rc -> {
                if (Span.current().getSpanContext().isSampled()) {
                    accessLog.handle(rc);
                } else {
                    rc.next();
                }
            }, PRIORITY);
        }
    }
}
