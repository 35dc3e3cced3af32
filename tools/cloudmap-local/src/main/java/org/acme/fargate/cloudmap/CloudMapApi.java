package org.acme.fargate.cloudmap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.logging.Log;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The Cloud Map API over HTTP, as the AWS SDK and CLI speak it: AWS JSON 1.1, every operation a POST to
 * {@code /} named by {@code X-Amz-Target: Route53AutoNaming_v20170314.<Operation>}. Errors carry
 * {@code __type} in the body and {@code x-amzn-ErrorType} in the headers, which is what the SDK reads.
 * Requests are not signed-checked: it is a local stand-in, bound to loopback.
 */
@ApplicationScoped
public class CloudMapApi {

    static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    private static final String TARGET_PREFIX = "Route53AutoNaming_v20170314.";
    private static final long MAX_BODY = 64 * 1024;

    private final CloudMapOperations operations;
    private final Registry registry;
    private final ObjectMapper json;

    CloudMapApi(CloudMapOperations operations, Registry registry, ObjectMapper json) {
        this.operations = operations;
        this.registry = registry;
        this.json = json;
    }

    void register(@Observes Router router) {
        // No file uploads: a multipart body is never written to disk (Vert.x's default keeps it in ./file-uploads).
        router.route(HttpMethod.POST, "/").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY)).handler(this::handle)
                .failureHandler(this::failed);
        // Not part of AWS's API: how tests and the curious see how often each operation was called.
        router.route(HttpMethod.GET, "/_local/calls").handler(rc -> rc.response()
                .putHeader("Content-Type", "application/json").end(Json.encode(registry.calls())));
    }

    private void handle(RoutingContext rc) {
        String target = rc.request().getHeader("X-Amz-Target");
        try {
            if (target == null || !target.startsWith(TARGET_PREFIX)) {
                throw new CloudMapException("UnknownOperationException",
                        "X-Amz-Target must name an operation, e.g. " + TARGET_PREFIX + "DiscoverInstances.");
            }
            String contentType = rc.request().getHeader("Content-Type");
            if (contentType != null && contentType.toLowerCase().startsWith("multipart/")) {
                // The body handler keeps no bytes of a multipart body; it would read as an empty request.
                throw new CloudMapException("SerializationException", "Send a JSON object as " + CONTENT_TYPE
                        + ", not a multipart form.");
            }
            JsonNode request = parse(rc.body().asString());
            String answer = json.writeValueAsString(operations.invoke(target.substring(TARGET_PREFIX.length()), request));
            rc.response().putHeader("Content-Type", CONTENT_TYPE).end(answer);
        } catch (CloudMapException e) {
            error(rc, e);
        } catch (RuntimeException | JsonProcessingException e) {
            Log.error("Unexpected failure in " + target, e);
            error(rc, new CloudMapException("InternalFailure", "An internal error occurred.", 500));
        }
    }

    private JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return json.createObjectNode();
        }
        try {
            JsonNode request = json.readTree(body);
            return request == null ? json.createObjectNode() : request;
        } catch (JsonProcessingException e) {
            throw new CloudMapException("SerializationException", "The request body is not valid JSON.");
        }
    }

    /**
     * Failures before an operation runs: the body handler's own (413 for a large body, 400 for a body it could not
     * decode, such as a form with too many fields) are the client's mistakes and say so; only the rest is ours.
     */
    private void failed(RoutingContext rc) {
        if (rc.statusCode() == 413) {
            error(rc, new CloudMapException("SerializationException",
                    "The request body is larger than " + MAX_BODY + " bytes.", 413));
        } else if (rc.statusCode() >= 400 && rc.statusCode() < 500) {
            error(rc, new CloudMapException("SerializationException",
                    "The request body could not be read; send a JSON object as " + CONTENT_TYPE + "."));
        } else {
            Log.error("Unexpected failure", rc.failure());
            error(rc, new CloudMapException("InternalFailure", "An internal error occurred.", 500));
        }
    }

    private static void error(RoutingContext rc, CloudMapException e) {
        if (rc.response().ended()) {
            return;
        }
        JsonObject body = new JsonObject().put("__type", e.type()).put("Message", e.getMessage());
        e.members().forEach(body::put);
        rc.response().setStatusCode(e.status()).putHeader("Content-Type", CONTENT_TYPE)
                .putHeader("x-amzn-ErrorType", e.type())
                .end(body.encode());
    }
}
