package org.acme.fargate.path;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link PathHeaders#PATH} value: a JSON array of hops. Its own mapper, so that the service's JSON
 * settings (service-a refuses unknown fields) never apply to a header from a newer hop.
 */
final class PathJson {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            // "[...] [...]" is not a path, whatever its first array says.
            .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true)
            // A header value must be visible ASCII: escape anything else a task id or AZ might hold.
            .configure(JsonGenerator.Feature.ESCAPE_NON_ASCII, true);
    private static final TypeReference<List<Hop>> HOPS = new TypeReference<>() {
    };
    /** Written on every answer: a writer bound to the type once, not looked up per call. */
    private static final ObjectWriter HOPS_WRITER = JSON.writerFor(HOPS);

    private PathJson() {
    }

    static String write(List<Hop> hops) {
        try {
            return HOPS_WRITER.writeValueAsString(hops);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A hop is plain data and always serializable", e);
        }
    }

    /**
     * This hop in front of the hops in a header from the next one. A header that is a JSON array of objects in
     * printable ASCII is appended as it came, checked by a streaming parse rather than read into {@link Hop}s and
     * written again: a proxy adds its hop to every answer, and binding and rewriting the hops after it stood out in
     * the sidecar's profile (docs/sidecar-proxy.md, "Speed"). A newer hop's extra fields pass on unchanged; anything
     * else is read as {@link #read} does.
     */
    static String write(Hop first, String downstreamHeader) {
        if (isArrayOfObjects(downstreamHeader)) {
            String hop = write(List.of(first));
            return downstreamHeader.length() == 2 ? hop
                    : hop.substring(0, hop.length() - 1) + "," + downstreamHeader.substring(1);
        }
        return write(first, read(downstreamHeader));
    }

    /** This hop in front of the hops of the call this service made. */
    static String write(Hop first, List<Hop> downstream) {
        List<Hop> hops = new ArrayList<>(downstream.size() + 1);
        hops.add(first);
        hops.addAll(downstream);
        return write(hops);
    }

    private static boolean isArrayOfObjects(String header) {
        if (header == null || !isPrintableAscii(header)) {
            return false;
        }
        try (JsonParser parser = JSON.createParser(header)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                return false;
            }
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.START_OBJECT) {
                parser.skipChildren();
            }
            return token == JsonToken.END_ARRAY && parser.nextToken() == null;
        } catch (IOException notJson) {
            return false;
        }
    }

    private static boolean isPrintableAscii(String header) {
        for (int i = 0; i < header.length(); i++) {
            char c = header.charAt(i);
            if (c < ' ' || c > '~') {
                return false;
            }
        }
        return true;
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
