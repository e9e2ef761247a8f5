package io.gostats.relay.sink.mackerel.delivery;

import java.time.Duration;

import io.github.resilience4j.core.IntervalFunction;

/**
 * When a batch whose request failed is due again. {@link DeliveryFailure#RETRY}: {@code initialBackoff} times
 * {@code multiplier}^(attempts-1), capped at {@code maxBackoff}, then randomized by ±{@code jitter} (so batches, and
 * relays, that failed together do not retry together, even at the cap). {@link DeliveryFailure#UNAUTHORIZED}: a
 * fixed {@code unauthorizedDelay}.
 */
public record RetryPolicy(Duration initialBackoff, double multiplier, double jitter, Duration maxBackoff,
        Duration unauthorizedDelay) {

    public static final RetryPolicy DEFAULT = new RetryPolicy(Duration.ofSeconds(30), 2.0, 0.5, Duration.ofMinutes(10),
            Duration.ofMinutes(5));

    public RetryPolicy {
        if (initialBackoff.toMillis() < 10 || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("need 10 ms <= initialBackoff <= maxBackoff");
        }
        if (multiplier < 1 || jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("need multiplier >= 1 and jitter in [0, 1)");
        }
        if (unauthorizedDelay.isNegative()) {
            throw new IllegalArgumentException("unauthorizedDelay must not be negative");
        }
    }

    /** The delay before the next attempt after the {@code attempts}-th failed one (1 for the first failure). */
    public Duration delay(int attempts, DeliveryFailure failure) {
        return switch (failure) {
            case RETRY, CLIENT_ERROR -> {
                // ofExponentialRandomBackoff would apply its cap after randomizing: no jitter left at the cap
                long capped = IntervalFunction.ofExponentialBackoff(initialBackoff, multiplier, maxBackoff)
                        .apply(Math.max(1, attempts));
                yield Duration.ofMillis(jitter == 0 ? capped : IntervalFunction.ofRandomized(capped, jitter).apply(1));
            }
            case UNAUTHORIZED -> unauthorizedDelay;
            case NO_HOST, TOO_LARGE -> Duration.ZERO;
        };
    }
}
