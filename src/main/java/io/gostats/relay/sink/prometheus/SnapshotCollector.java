package io.gostats.relay.sink.prometheus;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

import io.gostats.relay.model.GoRuntime;
import io.gostats.relay.model.GoSeries;
import io.gostats.relay.model.Snapshot;
import io.gostats.relay.model.TargetReport;
import io.gostats.relay.model.TaskMetrics;
import io.gostats.relay.model.Target;
import io.gostats.relay.model.TaskIdentity;
import io.prometheus.client.Collector;

/**
 * Renders the latest snapshot as Prometheus families. A scrape reads one snapshot reference, so it never mixes two
 * cycles; series of a task that is gone are simply not in the next snapshot, so nothing has to be removed by hand.
 * The families of a snapshot are built once and shared by every scrape of it.
 */
final class SnapshotCollector extends Collector {

    static final List<String> LABELS = List.of("target", "port", "container", "task_id", "task_family",
            "task_revision", "ecs_container", "cluster");
    private static final List<String> INFO_LABELS = concat(LABELS, List.of("go_version", "go_os", "go_arch",
            "format"));
    private static final List<String> ERROR_LABELS = concat(LABELS, List.of("reason"));

    private record Rendered(Snapshot snapshot, List<MetricFamilySamples> families) {
    }

    private final AtomicReference<Rendered> current = new AtomicReference<>(new Rendered(Snapshot.EMPTY, List.of()));
    private volatile Snapshot latest = Snapshot.EMPTY;

    void update(Snapshot snapshot) {
        latest = snapshot;
    }

    @Override
    public List<MetricFamilySamples> collect() {
        Snapshot snapshot = latest;
        Rendered r = current.get();
        if (r.snapshot() != snapshot) {
            r = new Rendered(snapshot, render(snapshot));
            current.set(r);
        }
        return r.families();
    }

    static List<MetricFamilySamples> render(Snapshot snapshot) {
        List<TargetReport> targets = snapshot.targets();
        List<List<String>> labelValues = new ArrayList<>(targets.size());
        for (TargetReport t : targets) {
            labelValues.add(labelValues(t));
        }
        List<MetricFamilySamples> families = new ArrayList<>(GoSeries.values().length + 3);

        List<MetricFamilySamples.Sample> up = new ArrayList<>(targets.size());
        List<MetricFamilySamples.Sample> info = new ArrayList<>(targets.size());
        List<MetricFamilySamples.Sample> errors = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            TargetReport t = targets.get(i);
            up.add(new MetricFamilySamples.Sample("gostats_up", LABELS, labelValues.get(i), t.up() ? 1 : 0));
            if (t.metrics().isPresent()) {
                GoRuntime r = t.metrics().get().runtime();
                info.add(new MetricFamilySamples.Sample("gostats_info", INFO_LABELS, concat(labelValues.get(i),
                        List.of(r.goVersion().orElse(""), r.goOs().orElse(""), r.goArch().orElse(""),
                                r.format().label())), 1));
            }
            for (var f : new TreeMap<>(t.failures()).entrySet()) {
                errors.add(new MetricFamilySamples.Sample("gostats_fetch_errors_total", ERROR_LABELS,
                        concat(labelValues.get(i), List.of(f.getKey().label())), f.getValue()));
            }
        }
        families.add(new MetricFamilySamples("gostats_up", Type.GAUGE,
                "1 when the last fetch of the target succeeded (and its reply was read), else 0.", up));
        families.add(new MetricFamilySamples("gostats_info", Type.GAUGE,
                "Go version, OS and architecture of the task's process (each \"\" where its source does not "
                        + "report it) and the format it was read in; always 1.", info));
        families.add(new MetricFamilySamples("gostats_fetch_errors", Type.COUNTER,
                "Failed fetches of the target, by reason.", errors));

        for (GoSeries m : GoSeries.values()) {
            if (m.prometheus == null) {
                continue;
            }
            Type type = m.kind == GoSeries.Kind.COUNTER ? Type.COUNTER : Type.GAUGE;
            String sampleName = type == Type.COUNTER ? m.prometheus + "_total" : m.prometheus;
            List<MetricFamilySamples.Sample> samples = new ArrayList<>(targets.size());
            for (int i = 0; i < targets.size(); i++) {
                TaskMetrics tm = targets.get(i).metrics().orElse(null);
                OptionalDouble v = tm == null ? OptionalDouble.empty() : m.value(tm);
                if (v.isPresent()) { // a figure the source does not report has no sample, never 0
                    samples.add(new MetricFamilySamples.Sample(sampleName, LABELS, labelValues.get(i),
                            v.getAsDouble()));
                }
            }
            families.add(new MetricFamilySamples(m.prometheus, type, m.help, samples));
        }
        families.addAll(ContainerSeries.render(snapshot.containers()));
        return List.copyOf(families);
    }

    private static List<String> labelValues(TargetReport t) {
        return labelValues(t.target());
    }

    static List<String> labelValues(Target target) {
        TaskIdentity id = target.identity();
        return List.of(target.address(), Integer.toString(target.containerPort()), id.containerName(),
                id.taskId(), id.family(), id.revision(), id.ecsContainer(), id.cluster());
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }
}
