package org.acme.fargate.sidecar;

import io.vertx.core.VertxException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpClosedException;
import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

/** What the client is told when service-a cannot answer: a problem per kind of failure, never an empty 502. */
final class BackendFailures {

    static final int RETRY_AFTER_SECONDS = 2;

    /** The status and detail for one failure; {@code retryAfter} says whether waiting will help. */
    record Answer(int status, String detail, boolean retryAfter) {
    }

    private BackendFailures() {
    }

    /** Failing to get a connection from the pool: at capacity, or service-a not listening. */
    static Answer noConnection(Throwable failure) {
        if (failure instanceof ConnectionPoolTooBusyException || failure instanceof TimeoutException) {
            return new Answer(503, "The web task is at capacity; try again shortly.", true);
        }
        if (failure instanceof ConnectException) {
            return new Answer(503, "service-a is not accepting connections (starting or restarting); try again shortly.", true);
        }
        return new Answer(502, "service-a could not be reached.", false);
    }

    /** Failing after the request was sent: no answer in time, or a connection that broke. */
    static Answer noAnswer(Throwable failure) {
        if (failure instanceof TimeoutException) { // Vert.x's idle timeout: no byte for responseTimeout
            return new Answer(504, "service-a did not answer in time.", false);
        }
        return new Answer(502, "service-a closed the connection without a complete answer.", false);
    }

    /**
     * A kept-alive connection that service-a closed while it sat in the pool fails as soon as it is used,
     * before any byte of an answer; the request is worth another try on another connection.
     */
    static boolean isBrokenConnection(Throwable failure) {
        return failure instanceof HttpClosedException || failure instanceof IOException && !(failure instanceof ConnectException)
                || failure instanceof VertxException && "Connection was closed".equals(failure.getMessage());
    }
}
