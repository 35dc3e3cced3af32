package org.acme.fargate.sidecar;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The reverse proxy's settings; defaults and environment variables are in application.properties. */
@ConfigMapping(prefix = "sidecar")
public interface SidecarConfig {

    Backend backend();

    /**
     * A request body not fully received this long after the request began ends it with 408: a client that
     * stalls is the client's problem, and must not tie up a backend connection until it looks like a 504.
     */
    Duration bodyTimeout();

    /**
     * A request's head (its line and headers) not complete this long after its first byte ends the connection
     * with 408, so that heads dripped a line at a time cannot hold connections.
     */
    Duration headTimeout();

    interface Backend {
        /** Where service-a listens: the task's shared localhost. */
        @WithDefault("localhost")
        String host();

        @WithDefault("8080")
        int port();

        /** Kept-alive connections to the backend; enough for every concurrent client the task serves. */
        @WithDefault("64")
        int poolSize();

        /**
         * Requests that may wait for a pooled connection. Bounded, so an overloaded backend makes the
         * sidecar answer 503 at once instead of queueing without limit.
         */
        @WithDefault("256")
        int waitQueueSize();

        /** How long a request may wait for a pooled connection before it is answered 503. */
        Duration poolWait();

        Duration connectTimeout();

        /** No byte from the backend for this long ends the request with 504. */
        Duration responseTimeout();

        /** An idle pooled connection is closed after this; keep it below service-a's own idle timeout. */
        Duration keepAliveTimeout();

        /** The backend's readiness, which the sidecar's readiness includes. */
        @WithDefault("/q/health/ready")
        String readinessPath();
    }
}
