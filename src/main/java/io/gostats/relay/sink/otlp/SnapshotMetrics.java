package io.gostats.relay.sink.otlp;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.gostats.relay.model.GoRuntime;
import io.gostats.relay.model.GoSeries;
import io.gostats.relay.model.OtlpName;
import io.gostats.relay.model.OtlpName.Instrument;
import io.gostats.relay.model.Snapshot;
import io.gostats.relay.model.TargetReport;
import io.gostats.relay.model.TaskMetrics;
import io.gostats.relay.model.container.ContainerFigure;
import io.gostats.relay.model.container.ContainerReport;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.resources.Resource;

/**
 * A snapshot as OTLP metric data, one batch per task (its resource, its runtime series, its container's figures),
 * every point at the snapshot's cycle time. Names come from the catalogues' OTLP columns ({@link GoSeries#otlp},
 * {@link ContainerFigure#otlp}); the sink's own rules are here: {@code gostats.up} (also for a failed fetch),
 * {@code gostats.info}, {@code gostats.fetch.errors}, and {@code go.memory.used{go.memory.type=other}} computed as
 * the semantic conventions define it (obtained from the OS, less released heap, less stacks). Absent stays absent.
 */
final class SnapshotMetrics {

    static final OtlpName UP = new OtlpName("gostats.up", "1", Instrument.GAUGE, null, null);
    static final OtlpName INFO = new OtlpName("gostats.info", "1", Instrument.GAUGE, null, null);
    static final OtlpName FETCH_ERRORS = OtlpName.counter("gostats.fetch.errors", "{error}");
    static final OtlpName MEMORY_OTHER = GoSeries.STACK_INUSE.otlp.with("go.memory.type", "other");
    private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    /** One task's part of an export; {@code bytes}: its size alone as a request. */
    record TaskBatch(String targetId, List<MetricData> metrics, int points, int bytes) {
    }

    private final TaskResources resources;
    private final StartTimes starts = new StartTimes();

    SnapshotMetrics(TaskResources resources) {
        this.resources = resources;
    }

    List<TaskBatch> build(Snapshot s) {
        Instant time = s.cycleTime();
        Map<String, ContainerReport> containers = new HashMap<>();
        s.containers().forEach(c -> containers.putIfAbsent(c.target().id(), c));
        List<TaskBatch> out = new ArrayList<>(s.targets().size());
        Set<String> targetIds = new HashSet<>();
        for (TargetReport r : s.targets()) {
            targetIds.add(r.target().id());
            PointGroups g = new PointGroups(nanos(time));
            task(g, r, time);
            ContainerReport c = containers.get(r.target().id());
            if (c != null) {
                long start = nanos(starts.container(c.metrics(), time));
                for (ContainerFigure f : ContainerFigure.values()) {
                    OptionalDouble v = f.otlp == null ? OptionalDouble.empty() : c.metrics().get(f);
                    v.ifPresent(d -> g.add(f.otlp, start, d));
                }
            }
            Resource resource = resources.of(r);
            List<MetricData> metrics = g.metrics(resource);
            out.add(new TaskBatch(r.target().id(), metrics, g.points(), ExportRequest.wireSize(metrics)));
        }
        resources.retain(targetIds);
        Set<String> containerIds = new HashSet<>();
        s.containers().forEach(c -> containerIds.add(c.metrics().containerId()));
        starts.retain(targetIds, containerIds);
        return out;
    }

    private void task(PointGroups g, TargetReport r, Instant time) {
        g.addLong(UP, 0, r.up() ? 1 : 0, Attributes.empty());
        long relayStart = nanos(starts.target(r.target().id(), time));
        r.failures().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> g.addLong(FETCH_ERRORS,
                relayStart, e.getValue(), Attributes.of(ERROR_TYPE, e.getKey().label())));
        long start = nanos(starts.process(r, time));
        if (r.metrics().isEmpty()) {
            return;
        }
        TaskMetrics m = r.metrics().get();
        GoRuntime rt = m.runtime();
        g.addLong(INFO, 0, 1, info(rt));
        for (GoSeries series : GoSeries.values()) {
            OptionalDouble v = series.otlp == null ? OptionalDouble.empty() : series.value(m);
            v.ifPresent(d -> g.add(series.otlp, start, d));
        }
        if (rt.sysBytes().isPresent() && rt.heapReleasedBytes().isPresent() && rt.stackInuseBytes().isPresent()) {
            g.add(MEMORY_OTHER, start, rt.sysBytes().getAsLong() - rt.heapReleasedBytes().getAsLong()
                    - rt.stackInuseBytes().getAsLong());
        }
    }

    /** Point attributes, so the resource stays the same whether or not the fetch worked. */
    private static Attributes info(GoRuntime rt) {
        AttributesBuilder b = Attributes.builder().put("process.runtime.name", "go");
        rt.goVersion().ifPresent(v -> b.put("process.runtime.version", v));
        rt.goOs().ifPresent(v -> b.put("os.type", v));
        rt.goArch().ifPresent(v -> b.put("host.arch", v));
        return b.build();
    }

    static long nanos(Instant t) {
        return TimeUnit.SECONDS.toNanos(t.getEpochSecond()) + t.getNano();
    }
}
