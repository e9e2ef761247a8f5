package io.gostats.relay.sink.otlp;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The requests not yet accepted, oldest first, in memory: bounded in age ({@code relay.otlp.buffer}) and in bytes
 * ({@code relay.otlp.buffer-size}); what passes a bound is dropped, oldest first, and counted. A cumulative series
 * loses resolution, not totals, by a dropped export. Safe from the lane (adds) and the sender (the rest).
 */
final class ExportQueue {

    private final Deque<ExportRequest> queue = new ArrayDeque<>();
    private final Duration maxAge;
    private final long maxBytes;
    private final Runnable onDropped;
    private long bytes;

    ExportQueue(Duration maxAge, long maxBytes, Runnable onDropped) {
        this.maxAge = maxAge;
        this.maxBytes = maxBytes;
        this.onDropped = onDropped;
    }

    synchronized void addAll(List<ExportRequest> requests) {
        for (ExportRequest r : requests) {
            queue.addLast(r);
            bytes += r.bytes();
        }
        while (bytes > maxBytes && queue.size() > 1) {
            drop();
        }
    }

    /** The oldest request still young enough to send, the older ones dropped. */
    synchronized Optional<ExportRequest> head(Instant now) {
        while (!queue.isEmpty() && queue.peekFirst().cycleTime().isBefore(now.minus(maxAge))) {
            drop();
        }
        return Optional.ofNullable(queue.peekFirst());
    }

    /** Sent, or not to be sent again. */
    synchronized void remove(ExportRequest r) {
        if (queue.removeIf(q -> q == r)) {
            bytes -= r.bytes();
        }
    }

    /** Puts the halves where the request was (the head), to be sent next. */
    synchronized void split(ExportRequest r) {
        if (queue.peekFirst() == r) {
            queue.removeFirst();
            List<ExportRequest> halves = r.split();
            queue.addFirst(halves.get(1));
            queue.addFirst(halves.get(0));
        }
    }

    synchronized int size() {
        return queue.size();
    }

    synchronized long bytes() {
        return bytes;
    }

    private void drop() {
        bytes -= queue.removeFirst().bytes();
        onDropped.run();
    }
}
