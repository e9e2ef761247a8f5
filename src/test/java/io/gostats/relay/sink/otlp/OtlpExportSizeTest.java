package io.gostats.relay.sink.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;

import io.gostats.relay.instance.InstanceId;
import io.gostats.relay.instance.InstanceIdentity;
import io.gostats.relay.model.Snapshot;
import io.gostats.relay.model.container.ContainerFigure;
import io.gostats.relay.model.container.ContainerMetrics;
import io.gostats.relay.model.container.ContainerReport;
import io.gostats.relay.sink.otlp.SnapshotMetrics.TaskBatch;
import io.opentelemetry.exporter.internal.otlp.metrics.MetricsRequestMarshaler;

/**
 * The size of one export at 1,000 tasks, every figure reported (golang-stats and every container figure), and what
 * building it costs; pins the bytes per task so that a change to the mapping that bloats requests shows here.
 */
class OtlpExportSizeTest {

    static final int TASKS = 1000;

    private static Snapshot full(Instant at, long n) {
        Snapshot s = Snapshots.of(1, at, TASKS, n);
        List<ContainerReport> containers = s.containers().stream().map(c -> {
            Map<ContainerFigure, Double> f = new java.util.EnumMap<>(ContainerFigure.class);
            for (ContainerFigure figure : ContainerFigure.values()) {
                f.put(figure, 1e6 + figure.ordinal());
            }
            return new ContainerReport(c.target(), 1, new ContainerMetrics(c.metrics().containerId(), at, f));
        }).toList();
        return s.withContainers(containers);
    }

    @Test
    void oneExportAtAThousandTasks() throws Exception {
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        SnapshotMetrics metrics = new SnapshotMetrics(new TaskResources(java.util.Optional.empty(), Map.of(),
                InstanceIdentity.of(new InstanceId.Known("i-0123456789abcdef0"),
                        "ip-10-0-12-34.eu-west-1.compute.internal")));
        List<TaskBatch> first = metrics.build(full(t0, 1));
        int points = first.stream().mapToInt(TaskBatch::points).sum();
        assertEquals(TASKS * 32, points, "32 series per task: 21 runtime, 11 container");
        List<ExportRequest> requests = ExportRequest.pack(t0, first, 3_500_000);
        long bytes = requests.stream().mapToLong(r -> ExportRequest.wireSize(r.metrics())).sum();
        long gzip = 0;
        for (ExportRequest r : requests) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream z = new GZIPOutputStream(out)) {
                MetricsRequestMarshaler.create(r.metrics()).writeBinaryTo(z);
            }
            gzip += out.size();
        }
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        int rounds = 20;
        for (int i = 0; i < 5; i++) {
            metrics.build(full(t0.plusSeconds(60L * (i + 1)), i + 2)); // warm-up
        }
        List<Snapshot> snapshots = new java.util.ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            snapshots.add(full(t0.plusSeconds(60L * (i + 10)), i + 10));
        }
        long c0 = cpu.getCurrentThreadCpuTime();
        for (Snapshot s : snapshots) {
            List<TaskBatch> tasks = metrics.build(s);
            for (ExportRequest r : ExportRequest.pack(t0, tasks, 3_500_000)) {
                MetricsRequestMarshaler.create(r.metrics()).writeBinaryTo(new ByteArrayOutputStream(r.bytes()));
            }
        }
        double msPerExport = (cpu.getCurrentThreadCpuTime() - c0) / 1e6 / rounds;
        System.out.printf("OTLP export at %d tasks: %d points, %d requests, %d bytes (%d per task), gzip %d bytes;"
                + " build + size + marshal %.1f ms CPU%n", TASKS, points, requests.size(), bytes, bytes / TASKS,
                gzip, msPerExport);
        assertTrue(bytes / TASKS < 4000, "bytes per task: " + bytes / TASKS);
        assertTrue(requests.stream().allMatch(r -> r.bytes() <= 3_500_000));
        long summed = requests.stream().mapToLong(ExportRequest::bytes).sum();
        assertTrue(summed >= bytes, "the per-task sizes never underestimate a request: " + summed + " < " + bytes);
    }
}
