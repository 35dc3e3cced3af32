package org.acme.fargate.path;

import io.smallrye.common.vertx.ContextLocals;
import java.util.List;
import java.util.Optional;

/**
 * What the path trace knows about the request being served: when it arrived, its id, and what the call
 * this service made for it answered. Kept in the request's Vert.x context, which Quarkus gives every
 * request and carries onto the worker thread and into the REST client's filters, so the server and
 * client filters meet here without a header passed between them.
 */
final class RequestPath {

    private static final String KEY = RequestPath.class.getName();

    private final long arrivalNanos;
    private final String requestId;
    private volatile String pickedInstance;
    private volatile List<Hop> downstream;

    private RequestPath(long arrivalNanos, String requestId) {
        this.arrivalNanos = arrivalNanos;
        this.requestId = requestId;
    }

    static RequestPath start(String requestId) {
        RequestPath path = new RequestPath(System.nanoTime(), requestId);
        ContextLocals.put(KEY, path);
        return path;
    }

    /** The request this thread works for; empty outside a request (start-up, a scheduled job). */
    static Optional<RequestPath> current() {
        try {
            return ContextLocals.get(KEY);
        } catch (UnsupportedOperationException notOnARequestsContext) {
            return Optional.empty();
        }
    }

    String requestId() {
        return requestId;
    }

    long arrivalNanos() {
        return arrivalNanos;
    }

    /** The last answered call wins: after a retry on another instance, that instance gave the answer used. */
    void answeredBy(String instance, List<Hop> hops) {
        this.downstream = hops;
        this.pickedInstance = instance;
    }

    String pickedInstance() {
        return pickedInstance;
    }

    /** The hops of the call this service made, if it made one. */
    Optional<List<Hop>> downstream() {
        return Optional.ofNullable(downstream);
    }
}
