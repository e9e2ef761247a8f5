package io.gostats.relay.sink.otlp;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import io.gostats.relay.sink.otlp.SnapshotMetrics.TaskBatch;
import io.opentelemetry.exporter.internal.otlp.metrics.MetricsRequestMarshaler;
import io.opentelemetry.sdk.metrics.data.MetricData;

/**
 * One OTLP request: whole tasks of one snapshot, at most {@code relay.otlp.max-request-size} bytes uncompressed
 * (Mackerel refuses over 4 MB after decompression; its own exporter batches at 3.5 MB). A request refused as too large
 * is split in two by tasks, never sent again as it was.
 */
record ExportRequest(Instant cycleTime, List<TaskBatch> tasks, int bytes, int points) {

    ExportRequest {
        tasks = List.copyOf(tasks);
    }

    static ExportRequest of(Instant cycleTime, List<TaskBatch> tasks) {
        return new ExportRequest(cycleTime, tasks, tasks.stream().mapToInt(TaskBatch::bytes).sum(),
                tasks.stream().mapToInt(TaskBatch::points).sum());
    }

    /** Tasks in order, as few requests as fit under {@code maxBytes} (a task larger than that goes alone). */
    static List<ExportRequest> pack(Instant cycleTime, List<TaskBatch> tasks, long maxBytes) {
        List<ExportRequest> out = new ArrayList<>();
        List<TaskBatch> current = new ArrayList<>();
        long size = 0;
        for (TaskBatch t : tasks) {
            if (!current.isEmpty() && size + t.bytes() > maxBytes) {
                out.add(of(cycleTime, current));
                current = new ArrayList<>();
                size = 0;
            }
            current.add(t);
            size += t.bytes();
        }
        if (!current.isEmpty()) {
            out.add(of(cycleTime, current));
        }
        return out;
    }

    /** Two halves by tasks; a request of one task cannot be split. */
    List<ExportRequest> split() {
        int half = tasks.size() / 2;
        return List.of(of(cycleTime, tasks.subList(0, half)), of(cycleTime, tasks.subList(half, tasks.size())));
    }

    List<MetricData> metrics() {
        List<MetricData> all = new ArrayList<>(tasks.size() * 32);
        tasks.forEach(t -> all.addAll(t.metrics()));
        return all;
    }

    /**
     * The uncompressed size of the request the exporter sends for these metrics, from the exporter's own marshaler
     * (an internal class of the exporter, pinned by the same BOM): the only way to know it without marshaling by hand.
     * A task's size alone includes the request's few bytes of framing, so the sum over tasks errs on the safe side.
     */
    static int wireSize(Collection<MetricData> metrics) {
        return MetricsRequestMarshaler.create(metrics).getBinarySerializedSize();
    }
}
