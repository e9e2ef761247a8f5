package io.gostats.relay.sink.prometheus;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

import io.gostats.relay.model.GoRuntime;
import io.gostats.relay.model.GoSeries;
import io.gostats.relay.model.Snapshot;
import io.gostats.relay.model.TargetReport;
import io.gostats.relay.model.TaskMetrics;
import io.prometheus.client.Collector;

/**
 * Renders the latest snapshot as Prometheus families. A scrape reads one snapshot reference, so it never mixes two
 * cycles; series of a task that is gone are simply not in the next snapshot, so nothing has to be removed by hand.
 * The families of a snapshot are built once and shared by every scrape of it. Every per-task series carries the
 * labels of {@code relay.prometheus.series} ({@link SeriesLabels}, {@link TaskLabels}).
 */
final class SnapshotCollector extends Collector {

    /** The {@code task} labels. */
    static final List<String> LABELS = SeriesLabels.TASK.names;
    private static final List<String> INFO_LABELS = List.of("go_version", "go_os", "go_arch", "format");
    private static final List<String> ERROR_LABELS = List.of("reason");

    /** A snapshot with its targets' labels, made when it arrives (collisions are reported then, once). */
    private record Labelled(Snapshot snapshot, Map<String, TaskLabels.Labels> labels) {
    }

    private record Rendered(Labelled labelled, List<MetricFamilySamples> families) {
    }

    private static final Labelled NOTHING = new Labelled(Snapshot.EMPTY, Map.of());

    private final TaskLabels taskLabels;
    private final AtomicReference<Rendered> current = new AtomicReference<>(new Rendered(NOTHING, List.of()));
    private volatile Labelled latest = NOTHING;

    /** With the {@code task} labels. */
    SnapshotCollector() {
        this(SeriesLabels.TASK);
    }

    SnapshotCollector(SeriesLabels scheme) {
        this.taskLabels = new TaskLabels(scheme);
    }

    void update(Snapshot snapshot) {
        latest = new Labelled(snapshot, taskLabels.of(snapshot));
    }

    /** Targets whose {@code slot} labels collided in the last snapshot (they carry the task labels). */
    int collided() {
        return taskLabels.collided();
    }

    @Override
    public List<MetricFamilySamples> collect() {
        Labelled labelled = latest;
        Rendered r = current.get();
        if (r.labelled() != labelled) {
            r = new Rendered(labelled, render(labelled.snapshot(), labelled.labels()));
            current.set(r);
        }
        return r.families();
    }

    /** With the {@code task} labels. */
    static List<MetricFamilySamples> render(Snapshot snapshot) {
        return render(snapshot, new TaskLabels(SeriesLabels.TASK).of(snapshot));
    }

    static List<MetricFamilySamples> render(Snapshot snapshot, Map<String, TaskLabels.Labels> labels) {
        List<TargetReport> targets = snapshot.targets();
        List<TaskLabels.Labels> labelValues = new ArrayList<>(targets.size());
        for (TargetReport t : targets) {
            labelValues.add(labels.get(t.target().id()));
        }
        List<MetricFamilySamples> families = new ArrayList<>(GoSeries.values().length + 3);

        List<MetricFamilySamples.Sample> up = new ArrayList<>(targets.size());
        List<MetricFamilySamples.Sample> info = new ArrayList<>(targets.size());
        List<MetricFamilySamples.Sample> errors = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            TargetReport t = targets.get(i);
            TaskLabels.Labels l = labelValues.get(i);
            up.add(new MetricFamilySamples.Sample("gostats_up", l.names(), l.values(), t.up() ? 1 : 0));
            if (t.metrics().isPresent()) {
                GoRuntime r = t.metrics().get().runtime();
                info.add(new MetricFamilySamples.Sample("gostats_info", concat(l.names(), INFO_LABELS),
                        concat(l.values(), List.of(r.goVersion().orElse(""), r.goOs().orElse(""),
                                r.goArch().orElse(""), r.format().label())), 1));
            }
            for (var f : new TreeMap<>(t.failures()).entrySet()) {
                errors.add(new MetricFamilySamples.Sample("gostats_fetch_errors_total", concat(l.names(), ERROR_LABELS),
                        concat(l.values(), List.of(f.getKey().label())), f.getValue()));
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
                    TaskLabels.Labels l = labelValues.get(i);
                    samples.add(new MetricFamilySamples.Sample(sampleName, l.names(), l.values(), v.getAsDouble()));
                }
            }
            families.add(new MetricFamilySamples(m.prometheus, type, m.help, samples));
        }
        families.addAll(ContainerSeries.render(snapshot.containers(), labels));
        return List.copyOf(families);
    }

    static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }
}
