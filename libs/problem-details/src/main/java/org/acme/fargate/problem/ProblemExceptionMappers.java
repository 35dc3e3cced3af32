package org.acme.fargate.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.quarkus.logging.Log;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every exception a resource can raise into {@code application/problem+json}, so a client never
 * sees a stack trace, an HTML page or Quarkus's own error format.
 */
public class ProblemExceptionMappers {

    private static final Pattern JACKSON_MAXIMUM = Pattern.compile("maximum allowed \\((\\d+)");

    @ServerExceptionMapper
    public Response invalidInput(ConstraintViolationException e, UriInfo uri) {
        List<Problem.Violation> violations = e.getConstraintViolations().stream()
                .map(v -> new Problem.Violation(field(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.Violation::field))
                .toList();
        String detail = violations.size() == 1
                ? violations.get(0).field() + ": " + violations.get(0).message()
                : violations.size() + " fields are invalid; see violations";
        return response(Problem.of(400, detail).withViolations(violations).withInstance(uri.getPath()));
    }

    // Quarkus REST maps MismatchedInputException (unknown field, wrong type) with a built-in mapper that
    // answers an empty 400; this more specific mapper takes precedence over it.
    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e, UriInfo uri) {
        return unreadableJson(e, uri);
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e, UriInfo uri) {
        return response(Problem.of(400, describe(e)).withInstance(uri.getPath()));
    }

    @ServerExceptionMapper
    public Response httpError(WebApplicationException e, UriInfo uri) {
        Response.StatusType status = e.getResponse().getStatusInfo();
        if (e.getCause() instanceof JsonProcessingException json) {
            return unreadableJson(json, uri);
        }
        if (status.getStatusCode() >= 500) {
            Log.error("Request failed", e);
            return response(Problem.of(status.getStatusCode(), "The server could not complete the request.").withInstance(uri.getPath()));
        }
        return response(Problem.of(status.getStatusCode(), detailFor(status.getStatusCode(), e)).withInstance(uri.getPath()));
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e, UriInfo uri) {
        Log.error("Unexpected failure", e);
        return response(Problem.of(500, "The server could not complete the request.").withInstance(uri.getPath()));
    }

    private static String detailFor(int status, WebApplicationException e) {
        return switch (status) {
            case 404 -> isOwnMessage(e) ? e.getMessage() : "No resource at this path.";
            case 405 -> "This method is not allowed on this resource.";
            case 406 -> "This resource answers application/json only.";
            case 415 -> "Send the body as application/json.";
            default -> e.getMessage();
        };
    }

    /** Messages our resources wrote, as opposed to the framework's defaults ("HTTP 404 Not Found", ...). */
    private static boolean isOwnMessage(WebApplicationException e) {
        String message = e.getMessage();
        return message != null && !message.startsWith("HTTP ") && !message.startsWith("Unable to find");
    }

    private static String describe(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            return "Unknown field '" + unknown.getPropertyName() + "'.";
        }
        if (e instanceof MismatchedInputException mismatch) {
            String path = mismatch.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b).orElse("body");
            return "Field '" + path + "' has the wrong type or shape.";
        }
        String original = String.valueOf(e.getOriginalMessage());
        if (original.startsWith("Duplicate field ")) {
            return "Field " + original.substring("Duplicate field ".length()) + " appears twice; send each field once.";
        }
        // Jackson's StreamReadConstraints: its words name its internals; say what was too big instead.
        if (original.startsWith("Number value length")) {
            return "The body exceeds a limit: a number has too many digits (" + maximum(original) + " at most).";
        }
        if (original.startsWith("String value length")) {
            return "The body exceeds a limit: a string is too long (" + maximum(original) + " characters at most).";
        }
        if (original.startsWith("Document nesting depth")) {
            return "The body exceeds a limit: it is nested too deeply (" + maximum(original) + " levels at most).";
        }
        return "The body is not valid JSON: " + original;
    }

    /** The limit in Jackson's "... exceeds the maximum allowed (1000, from ...)". */
    private static String maximum(String message) {
        Matcher matcher = JACKSON_MAXIMUM.matcher(message);
        return matcher.find() ? matcher.group(1) : "a limit";
    }

    private static String field(ConstraintViolation<?> violation) {
        // Drop the method and parameter names ("quote.request.items[0].quantity" -> "items[0].quantity").
        List<String> nodes = StreamSupport.stream(violation.getPropertyPath().spliterator(), false)
                .map(node -> node.getIndex() != null ? "[" + node.getIndex() + "]." + node.getName() : node.getName())
                .toList();
        String joined = String.join(".", nodes.subList(Math.min(2, nodes.size()), nodes.size()))
                .replace(".[", "[");
        return joined.isEmpty() ? "body" : joined;
    }

    /** A problem as a JAX-RS response: its one JSON form ({@link Problem#encode}), as the sidecar writes it too. */
    public static Response response(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem.encode()).build();
    }
}
