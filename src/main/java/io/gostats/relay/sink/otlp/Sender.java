package io.gostats.relay.sink.otlp;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import org.jboss.logging.Logger;

import io.github.resilience4j.core.IntervalFunction;
import io.gostats.relay.sink.otlp.ExportOutcome.Failure;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.export.MetricExporter;

/**
 * Sends the queue, oldest first, one request in flight, on the sink's sender thread: never on a cycle's or another
 * sink's. After a failure the endpoint is left alone for a backoff (exponential with jitter, resilience4j's
 * {@link IntervalFunction}), then the oldest request is tried again; a key refused, every 5 minutes. Logs say what
 * happened by outcome and status code, never a server's message (it may echo the key).
 *
 * <p>
 * A throttled export (HTTP 429/503, gRPC RESOURCE_EXHAUSTED/UNAVAILABLE) would wait what the server asks for
 * ({@code Retry-After}, or {@code google.rpc.RetryInfo} in the status details) if the sink could see it, but the SDK's
 * exporter (1.57.0) hands over only an HTTP failure's status, message and body and a gRPC failure's code and message
 * ({@code OtlpThrottlingTest} fails when that changes). Without the hint the OTLP specification asks for exponential
 * backoff, which this is.
 */
final class Sender {

    private static final Logger LOG = Logger.getLogger(Sender.class);
    static final Duration UNAUTHORIZED_PAUSE = Duration.ofMinutes(5);

    /** The last attempt; {@code at} EPOCH: none yet. */
    record Last(Instant at, ExportOutcome outcome, String code, Instant okAt) {
    }

    private final MetricExporter exporter;
    private final ExportQueue queue;
    private final IntervalFunction backoff;
    private final Duration timeout;
    private final Clock clock;
    private final BiConsumer<ExportOutcome, ExportRequest> onOutcome;
    private int failures;
    private ExportRequest unanswered;
    private Instant nextAttempt = Instant.EPOCH;
    private volatile Last last = new Last(Instant.EPOCH, ExportOutcome.OK, "", Instant.EPOCH);

    Sender(MetricExporter exporter, ExportQueue queue, IntervalFunction backoff, Duration timeout, Clock clock,
            BiConsumer<ExportOutcome, ExportRequest> onOutcome) {
        this.exporter = exporter;
        this.queue = queue;
        this.backoff = backoff;
        this.timeout = timeout;
        this.clock = clock;
        this.onOutcome = onOutcome;
    }

    /** 5 s, doubling, ±50 %, at most 5 minutes between attempts. */
    static IntervalFunction defaultBackoff() {
        return IntervalFunction.ofExponentialRandomBackoff(Duration.ofSeconds(5), 2.0, 0.5, Duration.ofMinutes(5));
    }

    Last last() {
        return last;
    }

    /** Sends what is due until the queue is empty or an attempt fails. */
    void tick() {
        while (!Thread.currentThread().isInterrupted() && !clock.instant().isBefore(nextAttempt)) {
            Optional<ExportRequest> head = queue.head(clock.instant());
            if (head.isEmpty() || !attempt(head.get(), timeout)) {
                return;
            }
        }
    }

    /** SIGTERM: whatever is queued, backoff or not, until the deadline or the first failure. */
    void flush(Instant deadline) {
        Optional<ExportRequest> head = queue.head(clock.instant());
        while (head.isPresent()) {
            Duration left = Duration.between(clock.instant(), deadline);
            if (left.isNegative() || left.isZero() || !attempt(head.get(), left.compareTo(timeout) < 0 ? left : timeout)) {
                return;
            }
            head = queue.head(clock.instant());
        }
    }

    /**
     * A receiver that refuses a message for its size while the client still sends it may stop reading instead of
     * answering (grpc-java does, and OkHttp then waits for its timeout): a request left unanswered twice in a row is
     * split in two, as a size refusal would be. A connection refused or reset is not a timeout and splits nothing.
     */
    private boolean splitUnanswered(ExportRequest r, Failure f) {
        if (!f.code().equals("timeout")) {
            unanswered = null;
            return false;
        }
        if (unanswered != r || r.tasks().size() < 2) {
            unanswered = r;
            return false;
        }
        unanswered = null;
        queue.split(r);
        return true;
    }

    /** True when the next request may go at once. */
    private boolean attempt(ExportRequest r, Duration wait) {
        CompletableResultCode result = exporter.export(r.metrics());
        // the exporter's own call timeout ends the request; a little more here so that its answer is the one seen
        result.join(wait.toMillis() + 1000, TimeUnit.MILLISECONDS);
        Failure f = result.isSuccess() ? new Failure(ExportOutcome.OK, "")
                : ExportOutcome.classify(result.getFailureThrowable());
        Instant now = clock.instant();
        boolean next = switch (f.outcome()) {
            case OK, REJECTED -> {
                queue.remove(r);
                yield true;
            }
            case TOO_LARGE -> {
                if (r.tasks().size() > 1) {
                    queue.split(r);
                } else {
                    queue.remove(r);
                }
                yield true;
            }
            case UNAUTHORIZED -> {
                nextAttempt = now.plus(UNAUTHORIZED_PAUSE);
                yield false;
            }
            default -> {
                if (splitUnanswered(r, f)) {
                    yield true;
                }
                failures++;
                nextAttempt = now.plusMillis(backoff.apply(failures));
                yield false;
            }
        };
        report(f, r, now);
        return next;
    }

    private void report(Failure f, ExportRequest r, Instant now) {
        Last before = last;
        boolean ok = f.outcome() == ExportOutcome.OK;
        last = new Last(now, f.outcome(), f.code(), ok ? now : before.okAt());
        if (ok) {
            if (failures > 0) {
                LOG.infof("OTLP export works again after %d failed attempts", failures);
            }
            failures = 0;
            nextAttempt = Instant.EPOCH;
        } else if (!f.outcome().retried()) {
            LOG.warnf("OTLP export of %d points (%d bytes, cycle %s): %s (%s)%s", r.points(), r.bytes(),
                    r.cycleTime(), f.outcome().label(), f.code(), f.outcome() == ExportOutcome.TOO_LARGE
                            ? (r.tasks().size() > 1 ? ", split in two" : ", one task alone: dropped") : ", dropped");
        } else if (failures <= 1 || before.outcome() != f.outcome()) {
            LOG.warnf("OTLP export failed: %s (%s); %d requests kept, next attempt at %s", f.outcome().label(),
                    f.code(), queue.size(), nextAttempt);
        }
        onOutcome.accept(f.outcome(), r);
    }
}
