package org.acme.fargate.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import jakarta.annotation.Priority;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import org.eclipse.microprofile.faulttolerance.Retry;

/**
 * One span per attempt of a method that SmallRye Fault Tolerance retries. The HTTP client's own span begins only
 * once it has a connection, so an attempt that an instance refused (a task just gone) would leave no span, and a
 * retried call would look like one; with this, each attempt is a span, the failed one marked as an error with the
 * exception that names the instance, and the successful one holding the HTTP client's span.
 *
 * <p>Written by hand: no library traces Fault Tolerance's attempts. {@code @Retry} is itself an interceptor binding
 * (its members non-binding), and this interceptor's priority puts it inside Fault Tolerance's, so it wraps each
 * attempt, not the whole call.
 */
@Retry
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_AFTER + 20)
public class RetryAttemptSpans {

    private final Tracer tracer;

    RetryAttemptSpans(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer("org.acme.fargate.tracing");
    }

    @AroundInvoke
    Object attempt(InvocationContext invocation) throws Exception {
        if (!Span.current().getSpanContext().isSampled()) {
            return invocation.proceed(); // an untraced request: its attempts would be dropped spans, built for nothing
        }
        Span span = tracer.spanBuilder(invocation.getMethod().getDeclaringClass().getSimpleName() + "."
                + invocation.getMethod().getName() + " attempt").startSpan();
        try (Scope ignored = span.makeCurrent()) {
            return invocation.proceed();
        } catch (Exception | Error failure) {
            span.recordException(failure);
            span.setStatus(StatusCode.ERROR, String.valueOf(failure.getMessage()));
            throw failure;
        } finally {
            span.end();
        }
    }
}
