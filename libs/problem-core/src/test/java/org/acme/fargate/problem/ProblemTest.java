package org.acme.fargate.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one JSON form of a problem document, and the one body-size check. */
class ProblemTest {

    @Test
    void aProblemIsTitledByItsStatusAndNamesItsRequest() {
        JsonObject json = new JsonObject(Problem.of(413, "The body may be at most 65536 bytes.").withInstance("/api/quotes").encode());
        assertEquals(new JsonObject().put("type", "about:blank").put("title", "Request Entity Too Large").put("status", 413)
                .put("detail", "The body may be at most 65536 bytes.").put("instance", "/api/quotes"), json);
    }

    @Test
    void aMemberWithoutAValueIsLeftOutNeverNull() {
        String encoded = Problem.of(400, "Bad framing.").encode();
        assertFalse(encoded.contains("instance") || encoded.contains("violations") || encoded.contains("null"), encoded);
        JsonObject withViolations = Problem.of(400, "2 fields are invalid")
                .withViolations(List.of(new Problem.Violation("items[0].quantity", "must be at least 1"))).toJson();
        assertEquals("items[0].quantity", withViolations.getJsonArray("violations").getJsonObject(0).getString("field"));
    }

    @Test
    void aDeclaredBodyIsOverTheLimitOnlyWhenItSaysSo() {
        assertTrue(BodyLimit.isOver("65537", 65536));
        assertFalse(BodyLimit.isOver("65536", 65536));
        assertFalse(BodyLimit.isOver(" 12 ", 65536));
        assertFalse(BodyLimit.isOver("twelve", 65536), "a malformed length is the codec's 400, not this check's");
        assertFalse(BodyLimit.isOver(null, 65536));
    }
}
