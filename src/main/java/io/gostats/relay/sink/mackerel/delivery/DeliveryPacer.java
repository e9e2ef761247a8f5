package io.gostats.relay.sink.mackerel.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.github.resilience4j.core.IntervalFunction;

/**
 * The Mackerel sink's request rate. After each request the next waits {@link #PER_BATCH} for each minute batch the
 * request carried, at least {@code spacing} and at most {@link #MAX_SPACING}, randomized by ±{@link #JITTER}; after a
 * failed request (network, 5xx,
 * 429, 401/403) it waits {@code pauseAfterFailure}, or what the server's {@code Retry-After} asked.
 *
 * <p>
 * Why these figures. mackerel-agent drains a backlog with requests of at most 2 minute batches, 30 s apart: 15 s a
 * minute batch, 4 minutes of data a minute; mackerel-container-agent sends its 3 oldest batches once a minute. Their
 * batches hold a few dozen values; ours hold 15 per task, so one minute of 100 tasks is already two 100 KB requests,
 * and of 1,000 tasks seventeen. Spacing by data rather than by request keeps the agents' drain speed where a batch is
 * small (100 tasks: 7 requests a minute, 6 hours of backlog in about 2 hours, as mackerel-agent), and the floor of 2 s
 * (30 requests a minute, half of the old 1 s) bounds what a large host sends while it still drains faster than a
 * minute a minute (1,000 tasks: 6 hours in about 7 hours). A host of a few tasks fits many minute batches in one
 * request, and waits the agent's 30 s after it: fewer requests than the agent, more data each. The jitter keeps
 * hosts that came back together from posting in step. README states the figures; {@code DrainPaceTest} measures
 * them in simulated time.
 */
public final class DeliveryPacer {

    /** mackerel-agent's backlog pace: 2 minute batches per request, 30 s apart. */
    public static final Duration PER_BATCH = Duration.ofSeconds(15);
    /** mackerel-agent's backlog spacing: a request of many small batches waits no longer than the agent's would. */
    public static final Duration MAX_SPACING = Duration.ofSeconds(30);
    public static final Duration DEFAULT_SPACING = Duration.ofSeconds(2);
    public static final Duration DEFAULT_PAUSE_AFTER_FAILURE = Duration.ofSeconds(60);
    /** mackerel-agent's pace when it drains its queue at shutdown. */
    public static final Duration FLUSH_SPACING = Duration.ofSeconds(1);
    /** Each wait is randomized by this share either way, so that it averages what is said above. */
    public static final double JITTER = 0.25;

    private final Clock clock;
    private final Duration spacing;
    private final Duration pauseAfterFailure;
    private Instant nextAllowed = Instant.EPOCH;
    private Instant lastStart = Instant.EPOCH;
    private Instant pausedUntil = Instant.EPOCH;

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
        return untilNextAllowed(false);
    }

    /**
     * The same; {@code flushing} (at shutdown, the budget running): requests {@link #FLUSH_SPACING} apart, as
     * mackerel-agent drains its queue when it stops, unless a failure paused them.
     */
    public synchronized Duration untilNextAllowed(boolean flushing) {
        Instant at = nextAllowed;
        if (flushing) {
            Instant spaced = lastStart.plus(FLUSH_SPACING);
            at = spaced.isAfter(pausedUntil) ? spaced : pausedUntil;
        }
        Duration wait = Duration.between(clock.instant(), at);
        return wait.isNegative() ? Duration.ZERO : wait;
    }

    /** Call as a request starts that carries {@code minuteBatches} minute batches (0.5: half of one). */
    public synchronized void requestStarted(double minuteBatches) {
        long ms = Math.max(spacing.toMillis(),
                Math.min(MAX_SPACING.toMillis(), Math.round(PER_BATCH.toMillis() * minuteBatches)));
        lastStart = clock.instant();
        nextAllowed = lastStart.plusMillis(ms == 0 ? 0 : IntervalFunction.ofRandomized(ms, JITTER).apply(1));
    }

    /** Call as a request starts that carries no more than a small part of a minute batch. */
    public synchronized void requestStarted() {
        requestStarted(0);
    }

    /** Call when a request failed with {@link DeliveryFailure#RETRY} or {@link DeliveryFailure#UNAUTHORIZED}. */
    public synchronized void requestFailed() {
        pauseFor(pauseAfterFailure);
    }

    /** Call when the server said when to come back ({@code Retry-After}): no request before {@code wait}. */
    public synchronized void requestFailed(Duration wait) {
        pauseFor(wait);
    }

    private void pauseFor(Duration wait) {
        pausedUntil = clock.instant().plus(wait);
        if (pausedUntil.isAfter(nextAllowed)) {
            nextAllowed = pausedUntil;
        }
    }
}
