package org.acme.fargate.sidecar;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which headers cross the proxy. Hop-by-hop headers (RFC 9110 section 7.6.1) describe one connection and stop
 * here, in both directions; the backend learns who the client is from {@code X-Forwarded-*}. A client's trace context
 * ({@code traceparent}, {@code tracestate}, {@code baggage}) stops here too: the call to service-a is the sidecar's
 * span, whose context its tracer sends (tracing on) or no one's (off); the client's would make service-a's request
 * the child of a span no service exported, and would let a client choose what service-a traces. Everything else,
 * {@code X-Request-Id} included, passes untouched.
 */
final class ProxyHeaders {

    /** Case-insensitive, and looked up without lower-casing every header of every request. */
    private static final Set<String> HOP_BY_HOP = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    private static final Set<String> TRACE_CONTEXT = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);

    static {
        HOP_BY_HOP.addAll(List.of("Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate",
                "Proxy-Authorization", "TE", "Trailer", "Transfer-Encoding", "Upgrade"));
        TRACE_CONTEXT.addAll(List.of("traceparent", "tracestate", "baggage"));
    }

    private ProxyHeaders() {
    }

    /** The client's headers as service-a receives them. */
    static void toBackend(HttpServerRequest client, MultiMap backend) {
        MultiMap headers = client.headers();
        for (Map.Entry<String, String> header : headers) {
            String name = header.getKey();
            if (!isHopByHop(name) && !TRACE_CONTEXT.contains(name) && !name.equalsIgnoreCase("Expect")) {
                backend.add(header.getKey(), header.getValue());
            }
        }
        dropListedInConnection(headers, backend);
        // The ALB already appended the client's address; append the peer we saw (the ALB's).
        // The connection's peer, not the request's remoteAddress(), which a router works out again from Forwarded
        // headers it is told not to trust.
        SocketAddress remote = client.connection().remoteAddress();
        String peer = remote == null ? "unknown" : remote.hostAddress();
        String forwardedFor = headers.get("X-Forwarded-For");
        backend.set("X-Forwarded-For", forwardedFor == null ? peer : forwardedFor + ", " + peer);
        if (!headers.contains("X-Forwarded-Proto")) {
            backend.set("X-Forwarded-Proto", client.scheme());
        }
        if (!headers.contains("X-Forwarded-Host") && client.authority() != null) {
            backend.set("X-Forwarded-Host", client.authority().toString());
        }
    }

    /** service-a's answer's headers as the client receives them. */
    static void toClient(MultiMap answer, MultiMap client) {
        for (Map.Entry<String, String> header : answer) {
            if (!isHopByHop(header.getKey())) {
                client.add(header.getKey(), header.getValue());
            }
        }
        dropListedInConnection(answer, client);
    }

    private static boolean isHopByHop(String name) {
        return HOP_BY_HOP.contains(name);
    }

    /** A header named in {@code Connection} is hop-by-hop too. */
    private static void dropListedInConnection(MultiMap from, MultiMap to) {
        String connection = from.get("Connection");
        if (connection != null) {
            for (String listed : connection.split(",")) {
                if (!listed.isBlank()) {
                    to.remove(listed.trim());
                }
            }
        }
    }
}
