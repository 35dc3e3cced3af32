package org.acme.fargate.sidecar;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.acme.fargate.problem.Problem;

/**
 * One public connection's guard, between Netty's HTTP codec and Vert.x ({@link OpenConnections} installs it). It
 * does what must happen before any HTTP handler and what Vert.x 4.5 offers no hook for, so it is written by hand:
 * <ul>
 *   <li>a deadline for a request's head, counted from its first byte (nginx's {@code client_header_timeout}): a head
 *       dripped a line at a time would otherwise be held by the idle timeout alone, which every byte resets;</li>
 *   <li>HTTP/1.0 and 1.1 only: {@code PRI * HTTP/2.0} (HTTP/2 by prior knowledge) and any other version are
 *       refused as a problem, where Vert.x would answer a bodiless 501;</li>
 *   <li>what the codec cannot parse (a request line or headers over the limits, a malformed head) is refused as a
 *       problem too (Vert.x would answer a bodiless 400, 414 or 431);</li>
 *   <li>the requests in flight are counted, so that a shutdown can wait for them, and once the server is draining
 *       each connection closes as soon as its last answer is out.</li>
 * </ul>
 * Everything here runs on the connection's event loop.
 */
final class ConnectionGuard extends ChannelDuplexHandler {

    private final OpenConnections connections;
    private final long headTimeoutNanos;

    private ChannelHandlerContext context;
    /** Requests whose head has arrived and whose answer is not complete yet (more than one when pipelined). */
    private int openRequests;
    /** An answer's head has been written and its last part has not. */
    private boolean answering;
    /** When the head now arriving began (System.nanoTime), or -1 between heads. */
    private long headStartedAt = -1;
    /** The one pending check of the head's deadline, or null: re-armed, never cancelled, per request. */
    private ScheduledFuture<?> deadlineCheck;
    /** A refusal waiting for the answers before it (HTTP/1.1 answers leave in order). */
    private FullHttpResponse pendingRefusal;
    /** After a refusal nothing more is read from this connection. */
    private boolean refused;

    ConnectionGuard(OpenConnections connections, long headTimeoutNanos) {
        this.connections = connections;
        this.headTimeoutNanos = headTimeoutNanos;
    }

    /** Sits before the codec, where the first byte of a head is seen, and tells the guard. */
    ChannelHandler firstByteWatch() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object bytes) {
                if (openRequests == 0 && headStartedAt < 0 && !refused) {
                    headStartedAt = System.nanoTime();
                    if (deadlineCheck == null) {
                        checkDeadlineIn(headTimeoutNanos);
                    }
                }
                ctx.fireChannelRead(bytes);
            }
        };
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        context = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (refused) {
            ReferenceCountUtil.release(message);
            return;
        }
        if (message instanceof HttpRequest request) {
            headStartedAt = -1;
            RequestRefusals.Refusal refusal = refusalOf(request);
            if (refusal != null) {
                ReferenceCountUtil.release(message);
                refuse(refusal.status(), refusal.detail());
                return;
            }
            openRequests++;
            connections.requestStarted();
        }
        ctx.fireChannelRead(message);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object message, ChannelPromise promise) {
        if (message instanceof HttpResponse response && response.status().codeClass() != HttpStatusClass.INFORMATIONAL) {
            answering = true;
            if (connections.draining()) {
                HttpUtil.setKeepAlive(response, false);
            }
        }
        if (answering && message instanceof LastHttpContent) {
            answering = false;
            openRequests--;
            connections.requestEnded();
            if (openRequests == 0 && (pendingRefusal != null || connections.draining())) {
                ChannelPromise written = promise.isVoid() ? ctx.newPromise() : promise;
                ctx.write(message, written);
                if (pendingRefusal != null) {
                    ctx.writeAndFlush(pendingRefusal).addListener(ChannelFutureListener.CLOSE);
                    pendingRefusal = null;
                } else {
                    written.addListener(ChannelFutureListener.CLOSE);
                }
                return;
            }
        }
        ctx.write(message, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (deadlineCheck != null) {
            deadlineCheck.cancel(false);
        }
        connections.requestsEnded(openRequests);
        openRequests = 0;
        ReferenceCountUtil.release(pendingRefusal);
        pendingRefusal = null;
        ctx.fireChannelInactive();
    }

    /** Closes the connection now if no request is open on it; otherwise after its last answer ({@link #write}). */
    void closeIfIdle() {
        context.executor().execute(() -> {
            if (openRequests == 0) {
                context.close();
            }
        });
    }

    /**
     * A timer per connection, not per request: scheduling and cancelling one for every head of a kept-alive
     * connection cost measurable throughput. When it fires it looks at the head in progress, if any, and either
     * refuses it or waits for that head's own deadline (the way Netty's IdleStateHandler re-checks).
     */
    private void checkDeadlineIn(long nanos) {
        deadlineCheck = context.executor().schedule(this::checkDeadline, nanos, TimeUnit.NANOSECONDS);
    }

    private void checkDeadline() {
        deadlineCheck = null;
        if (headStartedAt < 0 || refused) {
            return;
        }
        long left = headStartedAt + headTimeoutNanos - System.nanoTime();
        if (left > 0) {
            checkDeadlineIn(left);
        } else {
            refuse(408, "The request's head did not arrive within " + TimeUnit.NANOSECONDS.toSeconds(headTimeoutNanos)
                    + " s of its first byte; send it at once.");
        }
    }

    /** Why the codec's request is refused, or null: the same kind of answer as {@link RequestRefusals}' own. */
    private static RequestRefusals.Refusal refusalOf(HttpRequest request) {
        Throwable failure = request.decoderResult().cause();
        if (failure instanceof TooLongHttpLineException) {
            return new RequestRefusals.Refusal(414, "The request line is too long; shorten the path and query.");
        }
        if (failure instanceof TooLongHttpHeaderException) {
            return new RequestRefusals.Refusal(431, "The request headers are too large.");
        }
        if (failure != null) {
            return new RequestRefusals.Refusal(400, "The request's head is not valid HTTP/1.1.");
        }
        HttpVersion version = request.protocolVersion();
        if (!version.equals(HttpVersion.HTTP_1_1) && !version.equals(HttpVersion.HTTP_1_0)) {
            return new RequestRefusals.Refusal(400,
                    "This port speaks HTTP/1.1 only, not " + version.text() + " (no HTTP/2 in clear text).");
        }
        return null;
    }

    /** Answers with a problem once the answers before it are out, then closes: nothing more is read. */
    private void refuse(int status, String detail) {
        refused = true;
        // No instance: there is no request to name.
        byte[] body = Problem.of(status, detail).encode().getBytes(StandardCharsets.UTF_8);
        FullHttpResponse refusal = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                Unpooled.wrappedBuffer(body));
        refusal.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        if (openRequests == 0) {
            context.writeAndFlush(refusal).addListener(ChannelFutureListener.CLOSE);
        } else {
            pendingRefusal = refusal;
        }
    }
}
