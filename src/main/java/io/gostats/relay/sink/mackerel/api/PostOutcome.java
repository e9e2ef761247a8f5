package io.gostats.relay.sink.mackerel.api;

import java.time.Duration;
import java.util.Optional;

/**
 * How one Mackerel API call ended. Never an exception: the caller decides from the kind alone whether to retry
 * ({@link Retry}), stop and fix the configuration ({@link Unauthorized}) or give the payload up ({@link Rejected}).
 * No variant ever holds the API key.
 */
public sealed interface PostOutcome<T> {

    default boolean isOk() {
        return this instanceof Ok;
    }

    /** A 2xx answer; {@code value} is what the call reads from it ({@code null} for {@code Void}). */
    record Ok<T>(T value) implements PostOutcome<T> {
    }

    /**
     * Worth sending again later: no answer, no answer in time, a 5xx, a 408 or a 429; {@code retryAfter}: when the
     * server said to come back ({@code Retry-After} of a 429 or 503).
     */
    record Retry<T>(Cause cause, String reason, Optional<Duration> retryAfter) implements PostOutcome<T> {

        public Retry(Cause cause, String reason) {
            this(cause, reason, Optional.empty());
        }

        public enum Cause {
            NETWORK, TIMEOUT, SERVER_ERROR, RATE_LIMITED
        }
    }

    /** 401 or 403: the key is wrong, lacks Write permission, or the source address is not allowed. */
    record Unauthorized<T>(int status, String message) implements PostOutcome<T> {
    }

    /** Any other non-2xx answer (400, 404, 409, ...), with Mackerel's own error message. Sending it again won't help. */
    record Rejected<T>(int status, String message) implements PostOutcome<T> {
    }
}
