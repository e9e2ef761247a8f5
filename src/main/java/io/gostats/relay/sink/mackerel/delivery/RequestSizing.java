package io.gostats.relay.sink.mackerel.delivery;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SequenceWriter;

import io.gostats.relay.sink.mackerel.api.MetricValue;
import io.gostats.relay.sink.mackerel.delivery.Backlog.Pending;

/**
 * Cuts the next request out of the backlog: the unsent values of the batches due now, oldest first, as many as fit a
 * body of a given size (at least one value, however large), measured as Jackson serializes them with the host id
 * they are sent with. Values older than Mackerel's window are left out and counted.
 */
final class RequestSizing {

    /** The values of a batch, or null when they cannot be read (the batch is gone then). */
    interface Loader {
        List<MetricValue> load(Pending p);
    }

    private final ObjectWriter valueWriter = new ObjectMapper().writerFor(MetricValue.class);

    /**
     * The request, or null when no batch is due. {@code unload} is told of each batch read for nothing (all of its
     * values expired, say), so that a day of expired batches never piles up in memory.
     */
    Delivery next(List<Pending> backlog, Instant now, long oldestTime, int maxBodyBytes, String hostId, Loader loader,
            LongConsumer unload) {
        List<MetricValue> values = new ArrayList<>();
        List<Delivery.Slice> slices = new ArrayList<>();
        BodyMeter body = new BodyMeter(valueWriter);
        int bodyBytes = 2; // []
        int tooOld = 0;
        boolean full = false;
        for (Pending p : backlog) {
            if (full) {
                break;
            }
            if (p.nextAttemptAt().isAfter(now)) {
                continue;
            }
            List<MetricValue> batch = loader.load(p);
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
                long withV = body.sizeWith(hostId == null ? v : new MetricValue(hostId, v.name(), v.time(), v.value()));
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
                unload.accept(p.sequence());
            }
        }
        return slices.isEmpty() ? null : new Delivery(List.copyOf(values), bodyBytes, List.copyOf(slices), tooOld);
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
