package org.acme.fargate.problem;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;

/** Writes a {@link Problem} straight on a Vert.x response: for routes that run before, or without, JAX-RS. */
public final class ProblemWriter {

    private ProblemWriter() {
    }

    /** Ends the response unless the client has already gone or it has begun, so it is safe from any callback. */
    public static void send(HttpServerResponse response, Problem problem) {
        if (response.ended() || response.closed() || response.headWritten()) {
            return;
        }
        response.setStatusCode(problem.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .end(problem.encode());
    }

    /**
     * Refuses a request whose body will not be read, and closes the connection once the answer is out:
     * an unread body would otherwise be parsed as the next request, and Vert.x keeps an HTTP/1.x
     * connection open until the request has been read, which a refused one never is. (An HTTP/2 stream
     * ends on its own; closing would end the client's other streams too.)
     */
    public static void refuseAndClose(HttpServerRequest request, Problem problem) {
        HttpServerResponse response = request.response();
        response.putHeader(HttpHeaders.CONNECTION, "close");
        if (request.version() != HttpVersion.HTTP_2) {
            response.endHandler(ended -> request.connection().close());
        }
        send(response, problem);
    }
}
