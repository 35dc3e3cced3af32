package org.acme.fargate.problem;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * Jackson is lenient by default in ways that hide client bugs: {@code "quantity": 1.5} would become 1,
 * {@code "quantity": null} would become 0, and of {@code {"sku":"A","sku":"B"}} the last key would win, so that
 * any reader that takes the first one sees another basket. Reject all three, so the mappers answer a 400
 * naming the field. (Unknown fields are rejected by {@code quarkus.jackson.fail-on-unknown-properties=true}.)
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.getFactory().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature());
    }
}
