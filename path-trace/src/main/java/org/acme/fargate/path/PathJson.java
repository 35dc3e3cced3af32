package org.acme.fargate.path;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;

/**
 * The {@link PathHeaders#PATH} value: a JSON array of hops. Its own mapper, so that the service's JSON
 * settings (service-a refuses unknown fields) never apply to a header from a newer hop.
 */
final class PathJson {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            // A header value must be visible ASCII: escape anything else a task id or AZ might hold.
            .configure(JsonGenerator.Feature.ESCAPE_NON_ASCII, true);
    private static final TypeReference<List<Hop>> HOPS = new TypeReference<>() {
    };

    private PathJson() {
    }

    static String write(List<Hop> hops) {
        try {
            return JSON.writeValueAsString(hops);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A hop is plain data and always serializable", e);
        }
    }

    /** The hops in a header, or none when it is absent or not a path (an answer from a service without the layer). */
    static List<Hop> read(String header) {
        if (header == null || header.isBlank()) {
            return List.of();
        }
        try {
            List<Hop> hops = JSON.readValue(header, HOPS);
            return hops == null ? List.of() : hops;
        } catch (JsonProcessingException e) {
            return List.of();
        }
    }
}
