package org.acme.fargate.sidecar;

import io.netty.channel.Channel;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * The project's one use of a framework internal, kept here alone: the Netty channel under a Vert.x server
 * connection, where {@link ConnectionGuard} joins the pipeline (a deadline on request heads, the codec's refusals
 * answered as problems). Vert.x 4.5 offers no public way to a connection's pipeline; every HTTP/1.x server
 * connection is a {@code ConnectionBase}, whose {@code channel()} is public. What would replace it: Vert.x's own
 * options where they suffice ({@code HttpServerOptions} has idle timeouts and header limits, not a deadline on a
 * head dripped a line at a time), or a Netty server of the sidecar's own. {@code NettyChannelsTest} fails on the
 * Vert.x upgrade that breaks it, before any request does.
 */
final class NettyChannels {

    private NettyChannels() {
    }

    /** The connection's channel; an IllegalStateException naming the Vert.x class when the internal has moved. */
    static Channel of(HttpConnection connection) {
        if (!(connection instanceof ConnectionBase base)) {
            throw new IllegalStateException("Vert.x's HTTP server connection is a " + connection.getClass().getName()
                    + ", no longer a io.vertx.core.net.impl.ConnectionBase: see NettyChannels");
        }
        return base.channel();
    }
}
