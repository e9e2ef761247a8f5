package io.gostats.relay.sink.mackerel;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SequenceWriter;
import io.gostats.relay.util.AtomicFiles;

/**
 * The Mackerel sink's bounded, durable FIFO of minute batches. Each batch is one gzipped JSON file in {@code dir},
 * named by its zero-padded sequence number and value count, written to a temporary file and moved into place
 * atomically; a new queue on the same directory resumes the backlog. Memory holds an index (sequence, count, delivery
 * state) and the values of the batches of the current request only.
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

    /** Mackerel silently discards values older than this. */
    static final Duration MAX_AGE = Duration.ofHours(24);

    private static final Pattern BATCH_FILE = Pattern.compile("(\\d{12})-(\\d{1,9})\\.json\\.gz");
    private static final String TEMP_SUFFIX = AtomicFiles.TEMP_SUFFIX;
    private static final String CORRUPT_SUFFIX = ".corrupt";

    /** What the queue remembers of a batch without loading it. */
    private record Pending(long sequence, int size, int sent, int attempts, Instant nextAttemptAt) {

        Pending sentUpTo(int to) {
            return new Pending(sequence, size, to, 0, nextAttemptAt);
        }

        Pending retryAt(Instant at) {
            return new Pending(sequence, size, sent, attempts + 1, at);
        }
    }

    private final Path dir;
    private final int capacity;
    private final Clock clock;
    private final RetryPolicy retryPolicy;
    private final ObjectWriter batchWriter;
    private final ObjectReader batchReader;
    private final ObjectWriter valueWriter;

    private final NavigableMap<Long, Pending> index = new TreeMap<>();
    private final Map<Long, List<MetricValue>> loaded = new HashMap<>();
    private final Map<DropReason, Long> droppedPoints = new EnumMap<>(DropReason.class);
    private long droppedBatches;
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
        this.dir = dir;
        this.capacity = capacityBatches;
        this.clock = clock;
        this.retryPolicy = retryPolicy;
        ObjectMapper json = new ObjectMapper();
        this.batchWriter = json.writerFor(Batch.class).without(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        this.batchReader = json.readerFor(Batch.class);
        this.valueWriter = json.writerFor(MetricValue.class);
        try {
            Files.createDirectories(dir);
            indexFiles();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the delivery queue in " + dir, e);
        }
        nextSequence = index.isEmpty() ? 0 : index.lastKey() + 1;
        while (index.size() > capacity) {
            dropOldest();
        }
        if (!index.isEmpty()) {
            LOG.infof("resuming %d queued batches (%d points) from %s", index.size(), pendingPoints(), dir);
        }
    }

    private void indexFiles() throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                Matcher m = BATCH_FILE.matcher(name);
                if (m.matches()) {
                    long sequence = Long.parseLong(m.group(1));
                    index.put(sequence, new Pending(sequence, Integer.parseInt(m.group(2)), 0, 0, Instant.EPOCH));
                } else if (name.endsWith(TEMP_SUFFIX)) {
                    // a write cut short: its batch was never queued
                    Files.deleteIfExists(file);
                } else if (!name.endsWith(CORRUPT_SUFFIX)) {
                    LOG.warnf("ignoring %s: not a queued batch", file);
                }
            }
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
        write(batch);
        nextSequence++;
        index.put(batch.sequence(), new Pending(batch.sequence(), values.size(), 0, 0, Instant.EPOCH));
        while (index.size() > capacity) {
            dropOldest();
        }
    }

    /**
     * The next request: values of the batches due now, oldest first, as many as fit a body of {@code maxBodyBytes}
     * (at least one value, however large). Values older than 24 h are left out (and dropped once their range is). Empty
     * when no batch is due.
     *
     * @throws IllegalStateException while the previous request is neither acknowledged nor failed
     */
    public synchronized Optional<Delivery> nextRequest(int maxBodyBytes) {
        if (outstanding != null) {
            throw new IllegalStateException("the previous request was neither acknowledged nor failed");
        }
        Instant now = clock.instant();
        long oldestTime = now.minus(MAX_AGE).getEpochSecond();
        Delivery delivery;
        while ((delivery = collect(now, oldestTime, maxBodyBytes)) != null && delivery.values().isEmpty()) {
            consume(delivery);
        }
        if (delivery == null) {
            loaded.clear();
            return Optional.empty();
        }
        Set<Long> covered = new TreeSet<>();
        delivery.slices().forEach(s -> covered.add(s.sequence()));
        loaded.keySet().retainAll(covered);
        outstanding = delivery;
        return Optional.of(delivery);
    }

    private Delivery collect(Instant now, long oldestTime, int maxBodyBytes) {
        List<MetricValue> values = new ArrayList<>();
        List<Delivery.Slice> slices = new ArrayList<>();
        BodyMeter body = new BodyMeter(valueWriter);
        int bodyBytes = 2; // []
        int tooOld = 0;
        boolean full = false;
        for (Pending p : List.copyOf(index.values())) {
            if (full) {
                break;
            }
            if (p.nextAttemptAt().isAfter(now)) {
                continue;
            }
            List<MetricValue> batch = load(p);
            if (batch == null) {
                continue;
            }
            int taken = values.size();
            int i = p.sent();
            for (; i < batch.size(); i++) {
                MetricValue v = batch.get(i);
                if (v.time() <= oldestTime) {
                    tooOld++;
                    continue;
                }
                long withV = body.sizeWith(v);
                if (withV > maxBodyBytes && !values.isEmpty()) {
                    full = true;
                    break;
                }
                values.add(v);
                bodyBytes = (int) withV;
            }
            if (i > p.sent()) {
                slices.add(new Delivery.Slice(p.sequence(), p.sent(), i));
            }
            if (values.size() == taken) {
                // nothing to send from it (expired, say): a day of expired batches must not pile up in memory
                loaded.remove(p.sequence());
            }
        }
        return slices.isEmpty() ? null : new Delivery(List.copyOf(values), bodyBytes, List.copyOf(slices), tooOld);
    }

    /** The request was answered 200: its values are forgotten. */
    public synchronized void acknowledge(Delivery delivery) {
        finish(delivery);
        consume(delivery);
    }

    /** The request failed: its values are kept and retried later, or, for {@link DeliveryFailure#REJECTED}, dropped. */
    public synchronized void failed(Delivery delivery, DeliveryFailure failure) {
        finish(delivery);
        if (failure == DeliveryFailure.REJECTED) {
            consume(delivery);
            count(DropReason.REJECTED, delivery.values().size());
            return;
        }
        Instant now = clock.instant();
        for (Delivery.Slice s : delivery.slices()) {
            Pending p = index.get(s.sequence());
            if (p != null) {
                index.put(p.sequence(), p.retryAt(now.plus(retryPolicy.delay(p.attempts() + 1, failure))));
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
            Pending p = index.get(s.sequence());
            // null: dropped for room while in flight, and counted then
            if (p != null && p.sent() == s.from()) {
                if (s.to() == p.size()) {
                    remove(p);
                } else {
                    index.put(p.sequence(), p.sentUpTo(s.to()));
                }
            }
        }
        count(DropReason.TOO_OLD, delivery.tooOld());
    }

    /** Batches queued, including a partly sent one. */
    public synchronized int size() {
        return index.size();
    }

    /** Values queued and not yet acknowledged. */
    public synchronized long pendingPoints() {
        return index.values().stream().mapToLong(p -> p.size() - p.sent()).sum();
    }

    /** When the earliest queued batch is due (in the past when one is due now); empty when the queue is empty. */
    public synchronized Optional<Instant> nextAttemptAt() {
        return index.values().stream().map(Pending::nextAttemptAt).min(Instant::compareTo);
    }

    /** Batches dropped to make room for newer ones. */
    public synchronized long droppedBatches() {
        return droppedBatches;
    }

    public synchronized long droppedPoints(DropReason reason) {
        return droppedPoints.getOrDefault(reason, 0L);
    }

    /** Sequence numbers of the batches whose values are in memory. */
    synchronized Set<Long> loadedBatches() {
        return Set.copyOf(loaded.keySet());
    }

    /** Each queued batch's next attempt time, by sequence number. */
    synchronized Map<Long, Instant> nextAttempts() {
        Map<Long, Instant> out = new LinkedHashMap<>();
        index.values().forEach(p -> out.put(p.sequence(), p.nextAttemptAt()));
        return out;
    }

    private void dropOldest() {
        Pending oldest = index.firstEntry().getValue();
        droppedBatches++;
        count(DropReason.FULL, oldest.size() - oldest.sent());
        remove(oldest);
        LOG.warnf("delivery queue full (%d batches): dropped its oldest batch, %d points", capacity,
                oldest.size() - oldest.sent());
    }

    private void remove(Pending p) {
        index.remove(p.sequence());
        loaded.remove(p.sequence());
        try {
            Files.deleteIfExists(file(p.sequence(), p.size()));
        } catch (IOException e) {
            LOG.warnf("cannot delete delivered batch file: %s", e.toString());
        }
    }

    private void count(DropReason reason, long points) {
        if (points > 0) {
            droppedPoints.merge(reason, points, Long::sum);
        }
    }

    private Path file(long sequence, int size) {
        return dir.resolve(String.format("%012d-%d.json.gz", sequence, size));
    }

    private void write(Batch batch) {
        Path target = file(batch.sequence(), batch.values().size());
        try {
            AtomicFiles.write(target, out -> {
                GZIPOutputStream gzip = new GZIPOutputStream(out, 65536);
                batchWriter.writeValue(gzip, batch);
                gzip.finish();
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot queue the batch of minute " + batch.minute() + " in " + dir, e);
        }
    }

    /** The batch's values, from memory or its file; null when the file is unreadable (then dropped, counted). */
    private List<MetricValue> load(Pending p) {
        List<MetricValue> values = loaded.get(p.sequence());
        if (values != null) {
            return values;
        }
        Path file = file(p.sequence(), p.size());
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 65536)) {
            Batch batch = batchReader.readValue(in);
            if (batch.sequence() != p.sequence() || batch.values().size() != p.size()) {
                throw new IOException("content does not match the file name (sequence " + batch.sequence() + ", "
                        + batch.values().size() + " values)");
            }
            loaded.put(p.sequence(), batch.values());
            return batch.values();
        } catch (IOException | RuntimeException e) {
            LOG.errorf("dropping unreadable queued batch %s (%d points), kept as %s%s: %s", file,
                    p.size() - p.sent(), file.getFileName(), CORRUPT_SUFFIX, e.toString());
            try {
                Files.move(file, file.resolveSibling(file.getFileName() + CORRUPT_SUFFIX),
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException moveFailed) {
                LOG.warnf("cannot set aside %s: %s", file, moveFailed.toString());
            }
            count(DropReason.CORRUPT, p.size() - p.sent());
            index.remove(p.sequence());
            return null;
        }
    }

    /** The size of a request body as values are appended, serialized as Jackson posts them. */
    private static final class BodyMeter extends OutputStream {

        private final SequenceWriter writer;
        private long bytes;

        BodyMeter(ObjectWriter valueWriter) {
            try {
                writer = valueWriter.writeValues(this).init(true);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The body's size in bytes with {@code v} appended, closing bracket included. */
        long sizeWith(MetricValue v) {
            try {
                writer.write(v);
                writer.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot serialize " + v, e);
            }
            return bytes + 1;
        }

        @Override
        public void write(int b) {
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
        }
    }
}
