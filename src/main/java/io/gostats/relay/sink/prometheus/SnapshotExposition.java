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

/**
 * The latest snapshot as exposition text. A scrape reads one snapshot reference, so it never mixes two cycles;
 * series of a task that is gone are simply not in the next snapshot, so nothing has to be removed by hand. A
 * snapshot's text is written when it arrives, on the sink's own lane (a few ms at 1,000 targets), in the format last
 * asked for: a scrape then only sends bytes, and the health check's series count, which runs on the event loop, never
 * writes a text there. Only the last text is kept (3.3 MB at 1,000 golang-stats targets): scrapers asking for both
 * formats, which no Prometheus does, would each have it written again. Every per-task series carries the labels of
 * {@code relay.prometheus.series} ({@link SeriesLabels}, {@link TaskLabels}).
 */
final class SnapshotExposition {

    /** The {@code task} labels. */
    static final List<String> LABELS = SeriesLabels.TASK.names;
    private static final List<String> INFO_LABELS = List.of("go_version", "go_os", "go_arch", "format");
    private static final List<String> ERROR_LABELS = List.of("reason");

    /** A snapshot with its targets' labels, made when it arrives (collisions are reported then, once). */
    private record Labelled(Snapshot snapshot, Map<String, TaskLabels.Labels> labels) {
    }

    /** One format's text of a snapshot, and how many samples it holds. */
    record Text(byte[] bytes, int samples) {
    }

    private record Rendered(Labelled labelled, boolean openMetrics, Text text) {
    }

    private static final Labelled NOTHING = new Labelled(Snapshot.EMPTY, Map.of());

    private final TaskLabels taskLabels;
    private volatile Labelled latest = NOTHING;
    private final AtomicReference<Rendered> last = new AtomicReference<>(
            new Rendered(NOTHING, false, render(Snapshot.EMPTY, Map.of(), false, 0)));

    /** With the {@code task} labels. */
    SnapshotExposition() {
        this(SeriesLabels.TASK);
    }

    SnapshotExposition(SeriesLabels scheme) {
        this.taskLabels = new TaskLabels(scheme);
    }

    void update(Snapshot snapshot) {
        Labelled labelled = new Labelled(snapshot, taskLabels.of(snapshot));
        latest = labelled;
        write(labelled, last.get().openMetrics());
    }

    /** Targets whose {@code slot} labels collided in the last snapshot (they carry the task labels). */
    int collided() {
        return taskLabels.collided();
    }

    /**
     * The latest snapshot's families, written at its arrival; written here only when the other format is asked for,
     * or when a scrape comes between a snapshot's arrival and its text (two texts written then: harmless).
     */
    Text text(boolean openMetricsFormat) {
        Labelled labelled = latest;
        Rendered r = last.get();
        return r.labelled() == labelled && r.openMetrics() == openMetricsFormat ? r.text()
                : write(labelled, openMetricsFormat).text();
    }

    private Rendered write(Labelled labelled, boolean openMetricsFormat) {
        Text previous = last.get().text();
        Rendered r = new Rendered(labelled, openMetricsFormat, render(labelled.snapshot(), labelled.labels(),
                openMetricsFormat, previous.bytes().length + previous.bytes().length / 8));
        last.set(r);
        return r;
    }

    /** Samples of the last snapshot whose text is written (never writes one). */
    int samples() {
        return last.get().text().samples();
    }

    /** With the {@code task} labels, in the text format 0.0.4. */
    static Text render(Snapshot snapshot) {
        return render(snapshot, new TaskLabels(SeriesLabels.TASK).of(snapshot), false, 0);
    }

    static Text render(Snapshot snapshot, Map<String, TaskLabels.Labels> labels, boolean openMetricsFormat,
            int sizeHint) {
        List<TargetReport> targets = snapshot.targets();
        List<byte[]> labelBlocks = new ArrayList<>(targets.size());
        for (TargetReport t : targets) {
            TaskLabels.Labels l = labels.get(t.target().id());
            labelBlocks.add(ExpositionText.labels(l.names(), l.values()));
        }
        ExpositionText out = new ExpositionText(openMetricsFormat, sizeHint);

        out.family("gostats_up", false, "1 when the last fetch of the target succeeded (and its reply was read), else 0.");
        for (int i = 0; i < targets.size(); i++) {
            out.sample("gostats_up", labelBlocks.get(i), targets.get(i).up() ? 1 : 0);
        }
        out.family("gostats_info", false, "Go version, OS and architecture of the task's process (each \"\" where its "
                + "source does not report it) and the format it was read in; always 1.");
        for (int i = 0; i < targets.size(); i++) {
            TaskMetrics tm = targets.get(i).metrics().orElse(null);
            if (tm != null) {
                GoRuntime r = tm.runtime();
                out.sample("gostats_info", labelBlocks.get(i), INFO_LABELS, List.of(r.goVersion().orElse(""),
                        r.goOs().orElse(""), r.goArch().orElse(""), r.format().label()), 1);
            }
        }
        out.family("gostats_fetch_errors", true, "Failed fetches of the target, by reason.");
        for (int i = 0; i < targets.size(); i++) {
            for (var f : new TreeMap<>(targets.get(i).failures()).entrySet()) {
                out.sample("gostats_fetch_errors_total", labelBlocks.get(i), ERROR_LABELS,
                        List.of(f.getKey().label()), f.getValue());
            }
        }

        for (GoSeries m : GoSeries.values()) {
            if (m.prometheus == null) {
                continue;
            }
            boolean counter = m.kind == GoSeries.Kind.COUNTER;
            String sampleName = counter ? m.prometheus + "_total" : m.prometheus;
            out.family(m.prometheus, counter, m.help);
            for (int i = 0; i < targets.size(); i++) {
                TaskMetrics tm = targets.get(i).metrics().orElse(null);
                OptionalDouble v = tm == null ? OptionalDouble.empty() : m.value(tm);
                if (v.isPresent()) { // a figure the source does not report has no sample, never 0
                    out.sample(sampleName, labelBlocks.get(i), v.getAsDouble());
                }
            }
        }
        ContainerSeries.render(snapshot.containers(), labels, out);
        return new Text(out.toByteArray(), out.samples());
    }
}
