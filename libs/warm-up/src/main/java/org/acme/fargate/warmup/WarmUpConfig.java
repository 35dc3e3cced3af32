package org.acme.fargate.warmup;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The warm-up of one service: the requests it sends itself, and for how long. Each service names its own requests in
 * its application.properties, e.g. {@code warm-up.requests.catalog.path=/api/products}: read-only requests whose
 * answers come from inside the task, so that a warm-up changes no data and loads no other task.
 */
@ConfigMapping(prefix = "warm-up")
public interface WarmUpConfig {

    /** How long the service warms up before it reports ready; 0S turns the warm-up off. */
    Duration duration();

    /** Requests in flight at once. */
    int concurrency();

    /** The requests, by name; sent in turn, each as a real client would send it. */
    Map<String, Request> requests();

    interface Request {

        @WithDefault("GET")
        String method();

        /** Path and query, from the service's root. */
        String path();

        Optional<String> body();

        /** Headers such as Content-Type, or the key a service's API asks for. */
        Map<String, String> headers();
    }
}
