package org.acme.fargate.problem;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * An RFC 9457 problem document, and its one JSON form ({@link #encode}), which every service writes: the REST
 * services through problem-details' mappers, the sidecar and the body limit straight on Vert.x
 * ({@link ProblemWriter}). {@code type} stays {@code about:blank} (RFC 9457 §4.2.1): the status and title already
 * say what kind of problem it is, and {@code detail} says what to fix. A member without a value is left out, as
 * RFC 9457 allows, never written as null.
 *
 * @param instance the request's path, or null where there is no request to name (a refused connection)
 * @param violations for 400s from validation: which field broke which rule, or null
 */
public record Problem(String type, String title, int status, String detail, String instance, List<Violation> violations) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public record Violation(String field, String message) {
    }

    /** A problem of this status, titled with its reason phrase. */
    public static Problem of(int status, String detail) {
        return new Problem("about:blank", HttpResponseStatus.valueOf(status).reasonPhrase(), status, detail, null, null);
    }

    public Problem withInstance(String requestPath) {
        return new Problem(type, title, status, detail, requestPath, violations);
    }

    public Problem withViolations(List<Violation> list) {
        return new Problem(type, title, status, detail, instance, list);
    }

    public JsonObject toJson() {
        JsonObject json = new JsonObject().put("type", type).put("title", title).put("status", status).put("detail", detail);
        if (instance != null) {
            json.put("instance", instance);
        }
        if (violations != null) {
            JsonArray list = new JsonArray();
            violations.forEach(v -> list.add(new JsonObject().put("field", v.field()).put("message", v.message())));
            json.put("violations", list);
        }
        return json;
    }

    public String encode() {
        return toJson().encode();
    }
}
