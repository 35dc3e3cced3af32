package org.acme.fargate.sidecar;

import io.netty.channel.Channel;
import io.vertx.core.http.HttpConnection;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The public server's connections: at most {@code maxConnections} open (beyond it a new one is closed at once, so a
 * flood of idle connections cannot exhaust the task's file descriptors), each with a {@link ConnectionGuard}, and
 * the count of requests in flight across all of them, which a shutdown waits for.
 */
final class OpenConnections {

    private final int maxConnections;
    private final long headTimeoutNanos;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger requestsInFlight = new AtomicInteger();
    private final Set<ConnectionGuard> guards = ConcurrentHashMap.newKeySet();
    private volatile boolean draining;

    OpenConnections(int maxConnections, Duration headTimeout) {
        this.maxConnections = maxConnections;
        this.headTimeoutNanos = headTimeout.toNanos();
    }

    /** Vert.x's connection handler: runs on the event loop before the connection's first byte is read. */
    void accept(HttpConnection connection) {
        Channel channel = NettyChannels.of(connection);
        int nowOpen = open.incrementAndGet();
        ConnectionGuard guard = new ConnectionGuard(this, headTimeoutNanos);
        channel.closeFuture().addListener(closed -> {
            open.decrementAndGet();
            guards.remove(guard);
        });
        if (draining || nowOpen > maxConnections) {
            channel.close();
            return;
        }
        guards.add(guard);
        channel.pipeline().addFirst("first-byte-watch", guard.firstByteWatch()).addBefore("handler", "guard", guard);
    }

    /** From now on every connection closes once its last answer is out, and new ones are refused. */
    void drain() {
        draining = true;
        guards.forEach(ConnectionGuard::closeIfIdle);
    }

    boolean draining() {
        return draining;
    }

    int requestsInFlight() {
        return requestsInFlight.get();
    }

    int open() {
        return open.get();
    }

    void requestStarted() {
        requestsInFlight.incrementAndGet();
    }

    void requestEnded() {
        requestsInFlight.decrementAndGet();
    }

    void requestsEnded(int count) {
        if (count > 0) {
            requestsInFlight.addAndGet(-count);
        }
    }
}
