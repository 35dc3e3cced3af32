package org.acme.fargate.sidecar;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import java.util.regex.Pattern;
import org.acme.fargate.problem.BodyLimit;
import org.acme.fargate.problem.Problem;
import org.acme.fargate.problem.ProblemWriter;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses, before any other route runs, on both of {@link SidecarRoutes}' routers, the requests a public-facing proxy must never act on: this
 * sidecar proxies {@code /api/*} to one fixed backend and serves files, nothing else.
 *
 * <ul>
 *   <li>CONNECT and TRACE (405): no tunnels, no echoing of headers such as cookies.</li>
 *   <li>WebSocket handshakes (400): the sidecar speaks plain HTTP/1.1, as the ALB does to its targets; a
 *       proxied upgrade would hold a backend connection for as long as the client likes. Other upgrades (h2c)
 *       are ignored, as RFC 9110 allows, and answered in HTTP/1.1 (PublicServer turns h2c off).</li>
 *   <li>several Host headers (400): which host a request is for must not be ambiguous between this
 *       proxy and the backend. (A missing one Vert.x Web refuses itself: FailedRequestProblem.)</li>
 *   <li>absolute-form ({@code GET http://other-host/}) and authority-form targets (400): the backend
 *       is fixed, so no request may name another host or port.</li>
 *   <li>bytes outside printable ASCII in the target (400): they would reach service-a re-encoded, longer.</li>
 *   <li>dot-segments, encoded dots or slashes, backslashes and NULs in the path (400): routing
 *       matches the normalized path but the proxy forwards the raw one, so such a path could reach
 *       a backend route other than the one that matched.</li>
 *   <li>bodies declared larger than {@code quarkus.http.limits.max-body-size} (413), answered before Quarkus's
 *       own check, which ends the response with no body.</li>
 * </ul>
 */
@Singleton
public class RequestRefusals implements Handler<RoutingContext> {

    private static final Pattern UNSAFE_PATH = Pattern.compile(
            "(^|/)\\.\\.?(/|$)|%2e|%2f|%5c|%00|\\\\|//", Pattern.CASE_INSENSITIVE);

    /** Why a request is refused: the status to answer and the detail to tell the client. */
    record Refusal(int status, String detail) {
    }

    private final long maxBodySize;

    // Quarkus's own limit, the one knob for body size: refused here only earlier and as a problem.
    RequestRefusals(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize) {
        this.maxBodySize = maxBodySize.asLongValue();
    }

    @Override
    public void handle(RoutingContext rc) {
        Refusal refusal = refusalOf(rc.request());
        if (refusal == null) {
            rc.next();
            return;
        }
        if (refusal.status() == 405) {
            rc.response().putHeader(HttpHeaders.ALLOW, "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
        }
        ProblemWriter.refuseAndClose(rc.request(), Problem.of(refusal.status(), refusal.detail()).withInstance(safeInstance(rc.request())));
    }

    /** Why the request is refused, or null when it may go on. */
    Refusal refusalOf(HttpServerRequest request) {
        HttpMethod method = request.method();
        if (method == HttpMethod.CONNECT || method == HttpMethod.TRACE) {
            return new Refusal(405, method.name() + " is not supported.");
        }
        if ("websocket".equalsIgnoreCase(request.getHeader(HttpHeaders.UPGRADE))) {
            return new Refusal(400, "WebSocket is not supported: this API speaks plain HTTP/1.1.");
        }
        if (request.headers().getAll(HttpHeaders.HOST).size() > 1) {
            return new Refusal(400, "Send exactly one Host header.");
        }
        String target = request.uri();
        if (target == null || !target.startsWith("/")) {
            return new Refusal(400, "The request target must be a path such as /api/products.");
        }
        if (!isPrintableAscii(target)) {
            return new Refusal(400, "The request target must be printable ASCII; percent-encode anything else.");
        }
        int queryStart = target.indexOf('?');
        String rawPath = queryStart < 0 ? target : target.substring(0, queryStart);
        if (mayBeUnsafe(rawPath) && UNSAFE_PATH.matcher(rawPath).find()) {
            return new Refusal(400, "The path may not contain dot-segments, encoded dots or slashes, or backslashes.");
        }
        String declaredLength = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (BodyLimit.isOver(declaredLength, maxBodySize)) {
            return new Refusal(413, "The body may be at most " + maxBodySize + " bytes.");
        }
        return null;
    }

    /** Whether the path has a character that {@link #UNSAFE_PATH} looks for: most have none, and skip the pattern. */
    private static boolean mayBeUnsafe(String rawPath) {
        return rawPath.indexOf('.') >= 0 || rawPath.indexOf('%') >= 0 || rawPath.indexOf('\\') >= 0
                || rawPath.contains("//");
    }

    private static boolean isPrintableAscii(String target) {
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= ' ' || c > '~') {
                return false;
            }
        }
        return true;
    }

    private static String safeInstance(HttpServerRequest request) {
        String path = request.path();
        return path != null && path.startsWith("/") ? path : null;
    }
}
