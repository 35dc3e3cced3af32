package org.acme.fargate.sidecar;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;

/** An RFC 9457 {@code application/problem+json} answer written straight on a Vert.x response. */
public final class ProblemResponse {

    public static final String MEDIA_TYPE = "application/problem+json";

    private ProblemResponse() {
    }

    /** The document; without {@code instance} where there is no request to name (the connection guard), as RFC 9457 allows. */
    public static JsonObject body(int status, String detail, String instance) {
        JsonObject body = new JsonObject()
                .put("type", "about:blank")
                .put("title", HttpResponseStatus.valueOf(status).reasonPhrase())
                .put("status", status)
                .put("detail", detail);
        return instance == null ? body : body.put("instance", instance);
    }

    /** Ends the response unless the client has already gone, so it is safe from any callback. */
    public static void send(HttpServerResponse response, int status, String detail, String instance) {
        if (response.ended() || response.closed() || response.headWritten()) {
            return;
        }
        response.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, MEDIA_TYPE)
                .end(body(status, detail, instance).encode());
    }

    /**
     * Refuses a request whose body will not be read, and closes the connection once the answer is out:
     * an unread body would otherwise be parsed as the next request, and Vert.x keeps an HTTP/1.x
     * connection open until the request has been read, which a refused one never is. (An HTTP/2 stream
     * ends on its own; closing would end the client's other streams too.)
     */
    public static void refuseAndClose(HttpServerRequest request, int status, String detail, String instance) {
        HttpServerResponse response = request.response();
        response.putHeader(HttpHeaders.CONNECTION, "close");
        if (request.version() != HttpVersion.HTTP_2) {
            response.endHandler(ended -> request.connection().close());
        }
        send(response, status, detail, instance);
    }
}
