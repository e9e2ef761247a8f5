package io.gostats.relay.sink.mackerel.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The bounded request rate of the Mackerel sink: requests at least {@code spacing} apart, and a longer
 * {@code pauseAfterFailure} after a request that failed (network, 5xx, 429, 401/403), so that an outage is probed
 * about once a minute, as mackerel-agent does, rather than once per queued batch as the per-batch backoffs expire.
 */
public final class DeliveryPacer {

    public static final Duration DEFAULT_SPACING = Duration.ofSeconds(1);
    public static final Duration DEFAULT_PAUSE_AFTER_FAILURE = Duration.ofSeconds(60);

    private final Clock clock;
    private final Duration spacing;
    private final Duration pauseAfterFailure;
    private Instant nextAllowed = Instant.EPOCH;

    public DeliveryPacer(Clock clock, Duration spacing, Duration pauseAfterFailure) {
        if (spacing.isNegative() || pauseAfterFailure.isNegative()) {
            throw new IllegalArgumentException("spacing and pauseAfterFailure must not be negative");
        }
        this.clock = clock;
        this.spacing = spacing;
        this.pauseAfterFailure = pauseAfterFailure;
    }

    public DeliveryPacer(Clock clock) {
        this(clock, DEFAULT_SPACING, DEFAULT_PAUSE_AFTER_FAILURE);
    }

    /** Zero when a request may start now. */
    public synchronized Duration untilNextAllowed() {
        Duration wait = Duration.between(clock.instant(), nextAllowed);
        return wait.isNegative() ? Duration.ZERO : wait;
    }

    /** Call as a request starts. */
    public synchronized void requestStarted() {
        nextAllowed = clock.instant().plus(spacing);
    }

    /** Call when a request failed with {@link DeliveryFailure#RETRY} or {@link DeliveryFailure#UNAUTHORIZED}. */
    public synchronized void requestFailed() {
        Instant pauseEnd = clock.instant().plus(pauseAfterFailure);
        if (pauseEnd.isAfter(nextAllowed)) {
            nextAllowed = pauseEnd;
        }
    }
}
