package io.gostats.relay.sink.mackerel.delivery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The queue's delivery state, in memory only: for each queued batch (oldest first) how many of its values were sent,
 * how often it failed since, and when it is due again; and what was dropped, by reason. Not thread-safe: the queue
 * guards it.
 */
final class Backlog {

    /** What the queue remembers of a batch without loading it. */
    record Pending(long sequence, int size, int sent, int attempts, Instant nextAttemptAt) {

        int unsent() {
            return size - sent;
        }

        Pending sentUpTo(int to) {
            return new Pending(sequence, size, to, 0, nextAttemptAt);
        }

        Pending retryAt(Instant at) {
            return new Pending(sequence, size, sent, attempts + 1, at);
        }
    }

    private final NavigableMap<Long, Pending> index = new TreeMap<>();
    private final Map<DropReason, Long> droppedPoints = new EnumMap<>(DropReason.class);
    private long droppedBatches;

    /** A batch of {@code size} values, due now. */
    void add(long sequence, int size) {
        index.put(sequence, new Pending(sequence, size, 0, 0, Instant.EPOCH));
    }

    /** The sequence number after the newest batch; 0 when empty. */
    long nextSequence() {
        return index.isEmpty() ? 0 : index.lastKey() + 1;
    }

    Pending get(long sequence) {
        return index.get(sequence);
    }

    void update(Pending p) {
        index.put(p.sequence(), p);
    }

    void remove(long sequence) {
        index.remove(sequence);
    }

    /** Oldest first. */
    List<Pending> inOrder() {
        return List.copyOf(index.values());
    }

    /** Removes the oldest batches beyond {@code capacity}, counted as {@link DropReason#FULL}; answers them. */
    List<Pending> trimTo(int capacity) {
        List<Pending> dropped = new ArrayList<>();
        while (index.size() > capacity) {
            Pending oldest = index.pollFirstEntry().getValue();
            droppedBatches++;
            count(DropReason.FULL, oldest.unsent());
            dropped.add(oldest);
        }
        return dropped;
    }

    void count(DropReason reason, long points) {
        if (points > 0) {
            droppedPoints.merge(reason, points, Long::sum);
        }
    }

    int size() {
        return index.size();
    }

    long pendingPoints() {
        return index.values().stream().mapToLong(Pending::unsent).sum();
    }

    Optional<Instant> nextAttemptAt() {
        return index.values().stream().map(Pending::nextAttemptAt).min(Instant::compareTo);
    }

    Map<Long, Instant> nextAttempts() {
        Map<Long, Instant> out = new LinkedHashMap<>();
        index.values().forEach(p -> out.put(p.sequence(), p.nextAttemptAt()));
        return out;
    }

    long droppedBatches() {
        return droppedBatches;
    }

    long droppedPoints(DropReason reason) {
        return droppedPoints.getOrDefault(reason, 0L);
    }
}
