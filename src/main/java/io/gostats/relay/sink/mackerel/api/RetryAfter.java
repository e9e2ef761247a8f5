package io.gostats.relay.sink.mackerel.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;

import io.netty.handler.codec.DateFormatter;

/**
 * An HTTP {@code Retry-After} value (RFC 9110 §10.2.3) as a wait from now: delay-seconds, or an HTTP-date in any of
 * the three forms a recipient must accept (read by Netty's {@link DateFormatter}, which Vert.x uses for its own
 * dates). A date in the past is no wait; a value that is neither is absent.
 */
public final class RetryAfter {

    private RetryAfter() {
    }

    public static Optional<Duration> parse(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String v = value.strip();
        if (v.matches("\\d{1,9}")) {
            return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
        }
        Date at = DateFormatter.parseHttpDate(v);
        if (at == null) {
            return Optional.empty();
        }
        Duration wait = Duration.between(now, at.toInstant());
        return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
    }
}
