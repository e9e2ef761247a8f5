package io.gostats.relay.sink.mackerel.delivery;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.jboss.logging.Logger;

import io.gostats.relay.sink.mackerel.api.MetricValue;
import io.gostats.relay.sink.mackerel.delivery.Backlog.Pending;

/**
 * The Mackerel sink's bounded, durable FIFO of minute batches, and what each answer does to it. Each batch is one
 * file ({@link BatchFiles}); a new queue on the same directory resumes the backlog. Memory holds the delivery state
 * ({@link Backlog}) and the values of the batches of the current request only ({@link RequestSizing} cuts it).
 *
 * <p>
 * Delivery is at least once: one request at a time, from {@link #nextRequest}, ended by {@link #acknowledge} or
 * {@link #failed}. Only what was acknowledged is forgotten, and how far a batch was sent is kept in memory only, so a
 * restart resends a partly sent batch from its start (Mackerel overwrites a value posted twice). Retry state is in
 * memory too: after a restart every batch is due at once, and {@link DeliveryPacer} bounds what that costs.
 *
 * <p>
 * Thread-safe: a sink thread may {@link #add} while a sender thread delivers.
 */
public final class DeliveryQueue {

    private static final Logger LOG = Logger.getLogger(DeliveryQueue.class);

    /**
     * Tries of a request answered with a 4xx (other than 400, 401, 403, 404 and 413) before its values are dropped:
     * mackerel-agent's 60 ("it is difficult to distinguish server error or data error").
     */
    static final int MAX_CLIENT_ERROR_ATTEMPTS = 60;

    /** Mackerel silently discards values older than this. */
    static final Duration MAX_AGE = Duration.ofHours(24);

    private final BatchFiles files;
    private final Backlog backlog = new Backlog();
    private final RequestSizing sizing = new RequestSizing();
    private final int capacity;
    private final Clock clock;
    private final RetryPolicy retryPolicy;
    private long nextSequence;
    private Delivery outstanding;

    /**
     * Opens the queue in {@code dir} (created if missing) and indexes the batch files already there, without reading
     * them. A file that turns out unreadable when its turn comes is logged, set aside as {@code *.corrupt} and counted.
     *
     * @throws UncheckedIOException when {@code dir} cannot be created or listed
     */
    public DeliveryQueue(Path dir, int capacityBatches, Clock clock, RetryPolicy retryPolicy) {
        if (capacityBatches < 1) {
            throw new IllegalArgumentException("capacity must be at least 1 batch, was " + capacityBatches);
        }
        this.capacity = capacityBatches;
        this.clock = clock;
        this.retryPolicy = retryPolicy;
        this.files = new BatchFiles(dir);
        files.existing().forEach(b -> backlog.add(b.sequence(), b.size()));
        nextSequence = backlog.nextSequence();
        trim();
        if (backlog.size() > 0) {
            LOG.infof("resuming %d queued batches (%d points) from %s", backlog.size(), pendingPoints(), dir);
        }
    }

    /**
     * Queues one minute's values (nothing when empty), durably: the batch is on disk when this returns. A full queue
     * drops its oldest batch, counted.
     *
     * @throws UncheckedIOException when the batch cannot be written; nothing is queued or dropped then
     */
    public synchronized void add(long minute, List<MetricValue> values) {
        if (values.isEmpty()) {
            return;
        }
        Batch batch = new Batch(nextSequence, minute, values);
        files.write(batch);
        nextSequence++;
        backlog.add(batch.sequence(), values.size());
        trim();
    }

    /**
     * The next request: values of the batches due now, oldest first, as many as fit a body of {@code maxBodyBytes}
     * (at least one value, however large). Values older than 24 h are left out (and dropped once their range is). Empty
     * when no batch is due.
     *
     * @throws IllegalStateException while the previous request is neither acknowledged nor failed
     */
    public synchronized Optional<Delivery> nextRequest(int maxBodyBytes) {
        return nextRequest(maxBodyBytes, null);
    }

    /**
     * The same, sized as the body is sent: every value with {@code hostId} (an 11-character id makes the body about
     * 11% larger than the queued values with none); null: the values as queued.
     */
    public synchronized Optional<Delivery> nextRequest(int maxBodyBytes, String hostId) {
        if (outstanding != null) {
            throw new IllegalStateException("the previous request was neither acknowledged nor failed");
        }
        Instant now = clock.instant();
        long oldestTime = now.minus(MAX_AGE).getEpochSecond();
        Delivery delivery;
        while ((delivery = sizing.next(backlog.inOrder(), now, oldestTime, maxBodyBytes, hostId, this::load,
                files::unload)) != null && delivery.values().isEmpty()) {
            consume(delivery);
        }
        if (delivery == null) {
            files.keepLoaded(Set.of());
            return Optional.empty();
        }
        Set<Long> covered = new TreeSet<>();
        delivery.slices().forEach(s -> covered.add(s.sequence()));
        files.keepLoaded(covered);
        outstanding = delivery;
        return Optional.of(delivery);
    }

    /** The request was answered 200: its values are forgotten. */
    public synchronized void acknowledge(Delivery delivery) {
        finish(delivery);
        consume(delivery);
    }

    /**
     * The request's values were stored but for {@code rejected} of them, which Mackerel refused on their own (a 400
     * narrowed down by {@link RejectionSearch}): all are forgotten, those counted as {@link DropReason#REJECTED}.
     */
    public synchronized void settled(Delivery delivery, int rejected) {
        acknowledge(delivery);
        backlog.count(DropReason.REJECTED, rejected);
    }

    /** The request was cut short (interrupted, given up at shutdown): its values are as they were, due now. */
    public synchronized void abandoned(Delivery delivery) {
        finish(delivery);
    }

    /** How many minute batches the request carries: 0.5 for half of one, 2 for two whole ones. */
    public synchronized double minuteBatches(Delivery delivery) {
        double batches = 0;
        for (Delivery.Slice s : delivery.slices()) {
            Pending p = backlog.get(s.sequence());
            if (p != null && p.size() > 0) {
                batches += (double) (s.to() - s.from()) / p.size();
            }
        }
        return batches;
    }

    /** The request failed: its values are kept and retried later. */
    public synchronized void failed(Delivery delivery, DeliveryFailure failure) {
        failed(delivery, failure, Optional.empty());
    }

    /** The same, due again after {@code retryAfter} (the server's {@code Retry-After}) rather than the backoff. */
    public synchronized void failed(Delivery delivery, DeliveryFailure failure, Optional<Duration> retryAfter) {
        finish(delivery);
        if (failure == DeliveryFailure.NO_HOST || failure == DeliveryFailure.TOO_LARGE) {
            return; // as they were: due now, no attempt counted
        }
        Instant now = clock.instant();
        for (Delivery.Slice s : delivery.slices()) {
            Pending p = backlog.get(s.sequence());
            if (p != null && failure == DeliveryFailure.CLIENT_ERROR && p.attempts() + 1 >= MAX_CLIENT_ERROR_ATTEMPTS) {
                backlog.count(DropReason.REJECTED, s.to() - s.from());
                consume(new Delivery(List.of(), 0, List.of(s), 0));
            } else if (p != null) {
                Duration delay = retryAfter.orElseGet(() -> retryPolicy.delay(p.attempts() + 1, failure));
                backlog.update(p.retryAt(now.plus(delay)));
            }
        }
    }

    private void finish(Delivery delivery) {
        if (delivery != outstanding) {
            throw new IllegalStateException("not the outstanding request");
        }
        outstanding = null;
    }

    private void consume(Delivery delivery) {
        for (Delivery.Slice s : delivery.slices()) {
            Pending p = backlog.get(s.sequence());
            // null: dropped for room while in flight, and counted then
            if (p != null && p.sent() == s.from()) {
                if (s.to() == p.size()) {
                    remove(p);
                } else {
                    backlog.update(p.sentUpTo(s.to()));
                }
            }
        }
        backlog.count(DropReason.TOO_OLD, delivery.tooOld());
    }

    /** Batches queued, including a partly sent one. */
    public synchronized int size() {
        return backlog.size();
    }

    /** Values queued and not yet acknowledged. */
    public synchronized long pendingPoints() {
        return backlog.pendingPoints();
    }

    /** When the earliest queued batch is due (in the past when one is due now); empty when the queue is empty. */
    public synchronized Optional<Instant> nextAttemptAt() {
        return backlog.nextAttemptAt();
    }

    /** Batches dropped to make room for newer ones. */
    public synchronized long droppedBatches() {
        return backlog.droppedBatches();
    }

    public synchronized long droppedPoints(DropReason reason) {
        return backlog.droppedPoints(reason);
    }

    /** Sequence numbers of the batches whose values are in memory. */
    synchronized Set<Long> loadedBatches() {
        return files.loaded();
    }

    /** Each queued batch's next attempt time, by sequence number. */
    synchronized Map<Long, Instant> nextAttempts() {
        return backlog.nextAttempts();
    }

    private void trim() {
        for (Pending dropped : backlog.trimTo(capacity)) {
            files.delete(dropped.sequence(), dropped.size());
            LOG.warnf("delivery queue full (%d batches): dropped its oldest batch, %d points", capacity,
                    dropped.unsent());
        }
    }

    private void remove(Pending p) {
        backlog.remove(p.sequence());
        files.delete(p.sequence(), p.size());
    }

    /** The batch's values; null when its file is unreadable (then it is dropped, counted). */
    private List<MetricValue> load(Pending p) {
        List<MetricValue> values = files.read(p.sequence(), p.size(), p.unsent());
        if (values == null) {
            backlog.count(DropReason.CORRUPT, p.unsent());
            backlog.remove(p.sequence());
        }
        return values;
    }
}
