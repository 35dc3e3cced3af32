package org.acme.fargate.sidecar;

import io.quarkus.logging.Log;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyResponse;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

/**
 * Turns a backend that cannot answer into a problem document. vertx-http-proxy would answer an empty
 * 502; a page, a load balancer's logs and a person with curl deserve to know which failure it was.
 */
final class BackendProblems implements ProxyInterceptor {

    static final int RETRY_AFTER_SECONDS = 2;

    @Override
    public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
        return context.sendRequest().recover(failure -> {
            if (failure instanceof GuardedOrigin.ClientGone) {
                return Future.failedFuture(failure);
            }
            ProxyResponse response = context.request().response();
            int status;
            String detail;
            if (failure instanceof ConnectionPoolTooBusyException) {
                status = 503;
                detail = "The web task is at capacity; try again shortly.";
                response.putHeader("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
            } else if (failure instanceof TimeoutException) { // Vert.x's idle timeout extends it
                status = 504;
                detail = "service-a did not answer in time.";
            } else if (failure instanceof ConnectException) {
                status = 503;
                detail = "service-a is not accepting connections (starting or restarting); try again shortly.";
                response.putHeader("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
            } else {
                status = 502;
                detail = "service-a closed the connection without a complete answer.";
            }
            Log.debugf("Backend failure answered with %d: %s", status, failure);
            String path = context.request().proxiedRequest().path();
            return Future.succeededFuture(response.setStatusCode(status)
                    .putHeader("Content-Type", ProblemResponse.MEDIA_TYPE)
                    .setBody(Body.body(Buffer.buffer(ProblemResponse.body(status, detail, path).encode()))));
        });
    }
}
