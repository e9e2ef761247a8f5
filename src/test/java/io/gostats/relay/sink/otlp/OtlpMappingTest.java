package io.gostats.relay.sink.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.gostats.relay.model.GoRuntime;
import io.gostats.relay.model.Snapshot;
import io.gostats.relay.model.SourceFormat;
import io.gostats.relay.model.TargetReport;
import io.gostats.relay.model.TaskMetrics;
import io.gostats.relay.sink.otlp.FakeOtlpReceiver.Point;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;

/**
 * What arrives at an OTLP receiver (gRPC, the Mackerel preset pointed at the fake): names, kinds, temporality, start
 * times, resource and point attributes, headers and values, against the snapshot.
 */
class OtlpMappingTest {

    static final Instant T0 = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
    static final String KEY = "k3y-Secret+/=";
    private FakeOtlpReceiver receiver;
    private OtlpSink sink;

    @AfterEach
    void close() {
        if (sink != null) {
            sink.stop(Duration.ofSeconds(2));
        }
        receiver.close();
    }

    private OtlpSink mackerelPreset() throws Exception {
        receiver = FakeOtlpReceiver.grpc();
        return Sinks.started(receiver, Map.of("MACKEREL_APIKEY", KEY), Duration.ofMillis(50),
                "relay.otlp.mackerel", "true");
    }

    private static Snapshot withDownTask(Instant at, long n) {
        Snapshot s = Snapshots.of(1, at, 2, n);
        List<TargetReport> targets = new java.util.ArrayList<>(s.targets());
        targets.add(Snapshots.down(2, at));
        return new Snapshot(s.sequence(), at, s.duration(), targets, List.of(), s.containers());
    }

    @Test
    void namesKindsResourcesHeadersAndValues() throws Exception {
        sink = mackerelPreset();
        sink.accept(withDownTask(T0, 1));
        receiver.await(1, 10_000);
        assertEquals(List.of(), receiver.violations);
        Map<String, String> headers = receiver.received.get(0).headers();
        assertEquals(KEY, headers.get("mackerel-api-key"));
        assertEquals("gzip", headers.get("grpc-encoding"));

        List<Point> goroutines = receiver.points("go.goroutine.count");
        assertEquals(2, goroutines.size());
        Point p = goroutines.stream().filter(x -> x.resource().get("container.id").equals("c0")).findFirst().get();
        assertTrue(p.metric().hasSum() && !p.metric().getSum().getIsMonotonic());
        assertEquals(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE,
                p.metric().getSum().getAggregationTemporality());
        assertEquals("{goroutine}", p.metric().getUnit());
        assertEquals(10, p.value());
        assertEquals(SnapshotMetrics.nanos(T0), p.point().getTimeUnixNano());
        Map<String, String> r = p.resource();
        assertEquals("api", r.get("service.name"));
        assertEquals("c0:8080", r.get("service.instance.id"));
        assertEquals(String.format("%032x", 0), r.get("aws.ecs.task.id"));
        assertEquals(Snapshots.REGION_ACCOUNT + "task/demo/" + String.format("%032x", 0), r.get("aws.ecs.task.arn"));
        assertEquals("arn:aws:ecs:eu-west-1:123456789012:cluster/demo", r.get("aws.ecs.cluster.arn"));
        assertEquals("api", r.get("aws.ecs.task.family"));
        assertEquals("7", r.get("aws.ecs.task.revision"));
        assertEquals("eu-west-1", r.get("cloud.region"));
        assertEquals("aws_ecs", r.get("cloud.platform"));
        assertEquals("c0", r.get("container.id"));
        assertEquals("ecs-api-7-api-0", r.get("container.name"));
        assertEquals("app", r.get("gostats.ecs.container.name"));
        assertEquals("8080", r.get("gostats.port"));
        assertFalse(r.get("host.id").isEmpty());

        Point gc = receiver.points("go.memory.gc.cycles").stream().filter(x -> x.resource().get("container.id")
                .equals("c0")).findFirst().get();
        assertTrue(gc.metric().getSum().getIsMonotonic());
        assertEquals(3, gc.value());
        assertEquals(gc.point().getTimeUnixNano(), gc.point().getStartTimeUnixNano(), "unknown start: its own time");

        Map<String, Double> memory = receiver.points("go.memory.used").stream().filter(x -> x.resource()
                .get("container.id").equals("c0")).collect(Collectors.toMap(x -> x.attribute("go.memory.type"),
                        Point::value));
        assertEquals(Map.of("stack", 500_000.0, "other", 6_500_000.0), memory);

        Map<String, Double> cpu = receiver.points("container.cpu.time").stream().filter(x -> x.resource()
                .get("container.id").equals("c1")).collect(Collectors.toMap(x -> x.attribute("cpu.mode"),
                        Point::value));
        assertEquals(Map.of("user", 1.5, "system", 0.5), cpu);
        assertEquals("s", receiver.points("container.cpu.time").get(0).metric().getUnit());
        assertEquals(Set.of("receive", "transmit"), receiver.points("container.network.io").stream()
                .map(x -> x.attribute("network.io.direction")).collect(Collectors.toSet()));
        assertEquals(1, receiver.points("container.disk.io").stream().filter(x -> x.resource().get("container.id")
                .equals("c0")).count(), "write is not reported: no point");

        Map<String, Double> up = receiver.points("gostats.up").stream()
                .collect(Collectors.toMap(x -> x.resource().get("container.id"), Point::value));
        assertEquals(Map.of("c0", 1.0, "c1", 1.0, "c2", 0.0), up);
        Map<String, String> slots = receiver.points("gostats.up").stream()
                .collect(Collectors.toMap(x -> x.resource().get("container.id"),
                        x -> x.resource().get("gostats.slot")));
        assertEquals(Map.of("c0", "1", "c1", "2", "c2", "3"), slots, "each task's slot from the snapshot, down too");
        assertTrue(receiver.points("gostats.up").get(0).metric().hasGauge());
        Point errors = receiver.points("gostats.fetch.errors").get(0);
        assertEquals("c2", errors.resource().get("container.id"));
        assertEquals("refused", errors.attribute("error.type"));
        assertEquals(2, errors.value());
        assertTrue(receiver.points("go.goroutine.count").stream().noneMatch(x -> x.resource().get("container.id")
                .equals("c2")), "a failed task has no runtime points");
        Point info = receiver.points("gostats.info").get(0);
        assertEquals("go1.22.5", info.attribute("process.runtime.version"));
        assertEquals("linux", info.attribute("os.type"));
        assertEquals(List.of(), receiver.points("gostats.gc.per_second"));
        assertEquals(2, receiver.points("gostats.gc.pause.time").size());
        assertEquals(2 * (21 + 7) + 2, receiver.received.get(0).request().getResourceMetricsList().stream()
                .flatMap(rm -> rm.getScopeMetricsList().stream()).flatMap(sm -> sm.getMetricsList().stream())
                .mapToInt(m -> m.hasSum() ? m.getSum().getDataPointsCount() : m.getGauge().getDataPointsCount())
                .sum(), "points: 21 runtime (up, info, 18 catalogue rows, go.memory.used other) and the 7 container figures given per task up, up and errors for the failed one");
        assertEquals(58, ((Number) sink.status().details().get("series")).intValue());
    }

    @Test
    void whatASourceDoesNotReportIsAbsent() throws Exception {
        sink = mackerelPreset();
        GoRuntime sparse = GoRuntime.builder(SourceFormat.GOSTATS).goroutines(7).build();
        TargetReport r = new TargetReport(Snapshots.target(0), 1, true, java.util.Optional.empty(), "", T0, T0,
                Duration.ZERO, java.util.Optional.of(new TaskMetrics(sparse, java.util.OptionalLong.empty(),
                        java.util.OptionalDouble.empty(), false)), Map.of());
        sink.accept(new Snapshot(1, T0, Duration.ZERO, List.of(r), List.of()));
        receiver.await(1, 10_000);
        List<String> names = receiver.received.get(0).request().getResourceMetrics(0).getScopeMetrics(0)
                .getMetricsList().stream().map(m -> m.getName()).toList();
        assertEquals(List.of("gostats.up", "gostats.info", "go.goroutine.count"), names);
        assertNull(receiver.points("gostats.info").get(0).attribute("process.runtime.version"));
    }

    @Test
    void startTimesHoldUntilARestartThenMove() throws Exception {
        sink = mackerelPreset();
        Instant t1 = T0.plusSeconds(60);
        Instant t2 = T0.plusSeconds(120);
        sink.accept(Snapshots.of(1, T0, 2, 1));
        sink.accept(Snapshots.of(2, T0.plusSeconds(30), 2, 1)); // same minute: not exported
        sink.accept(Snapshots.of(3, t1, 2, 2));
        Snapshot third = Snapshots.of(4, t2, 2, 3);
        List<TargetReport> targets = List.of(Snapshots.up(0, t2, 1, true), third.targets().get(1));
        sink.accept(new Snapshot(4, t2, third.duration(), targets, List.of(), List.of(Snapshots.container(0, t2, 0.5),
                third.containers().get(1))));
        receiver.await(3, 10_000);
        Thread.sleep(300);
        assertEquals(3, receiver.received.size(), "one export per interval");
        assertEquals(List.of(), receiver.violations);
        Map<String, List<Long>> starts = receiver.points("go.memory.gc.cycles").stream().collect(Collectors.groupingBy(
                x -> x.resource().get("container.id"), Collectors.mapping(x -> x.point().getStartTimeUnixNano(),
                        Collectors.toList())));
        long s0 = SnapshotMetrics.nanos(T0);
        assertEquals(List.of(s0, s0, SnapshotMetrics.nanos(t2)), starts.get("c0"), "the restart moves the start");
        assertEquals(List.of(s0, s0, s0), starts.get("c1"));
        List<Double> gcs = receiver.points("go.memory.gc.cycles").stream().filter(x -> x.resource()
                .get("container.id").equals("c0")).map(Point::value).toList();
        assertEquals(List.of(3.0, 6.0, 3.0), gcs, "a reset, read as such thanks to the new start");
        List<Long> cpuStarts = receiver.points("container.cpu.time").stream().filter(x -> x.resource()
                .get("container.id").equals("c0") && "user".equals(x.attribute("cpu.mode")))
                .map(x -> x.point().getStartTimeUnixNano()).toList();
        assertEquals(List.of(s0, s0, SnapshotMetrics.nanos(t2)), cpuStarts, "a container whose CPU time fell restarted");
        List<Long> errorStarts = receiver.points("gostats.up").stream().map(x -> x.point().getStartTimeUnixNano())
                .distinct().toList();
        assertEquals(List.of(0L), errorStarts, "a gauge has no start");
    }
}
