package io.gostats.relay.sink.prometheus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import io.gostats.relay.model.container.ContainerFigure;
import io.gostats.relay.model.container.ContainerReport;
import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.Collector.MetricFamilySamples.Sample;
import io.prometheus.client.Collector.Type;

/**
 * The per-container series, with the gostats series' labels (those of the container's first target), so that a
 * task's container and Go runtime numbers join on them. A figure the engine does not report has no sample.
 */
final class ContainerSeries {

    private static final List<String> MODE = List.of("mode");

    private ContainerSeries() {
    }

    /**
     * No containers (container stats off, static targets only): no container families at all. Names come from the
     * catalogue ({@link ContainerFigure#prometheus}); figures sharing a family are its {@code mode}s.
     */
    static List<MetricFamilySamples> render(List<ContainerReport> containers, Map<String, TaskLabels.Labels> byTarget) {
        if (containers.isEmpty()) {
            return List.of();
        }
        // a container's target is one of the snapshot's; else (never from derive) its task labels
        List<TaskLabels.Labels> labels = containers.stream().map(c -> byTarget.getOrDefault(c.target().id(),
                new TaskLabels.Labels(SeriesLabels.TASK.names, SeriesLabels.TASK.values(c.target(), c.slot()))))
                .toList();
        Map<String, List<ContainerFigure>> families = new LinkedHashMap<>();
        for (ContainerFigure f : ContainerFigure.values()) {
            if (f.prometheus != null) {
                families.computeIfAbsent(f.prometheus.family(), k -> new ArrayList<>()).add(f);
            }
        }
        List<MetricFamilySamples> out = new ArrayList<>(families.size());
        families.forEach((family, figures) -> {
            ContainerFigure first = figures.get(0);
            Type type = first.kind == ContainerFigure.Kind.COUNTER ? Type.COUNTER : Type.GAUGE;
            String sampleName = type == Type.COUNTER ? family + "_total" : family;
            List<Sample> samples = new ArrayList<>(containers.size() * figures.size());
            for (int i = 0; i < containers.size(); i++) {
                for (ContainerFigure f : figures) {
                    OptionalDouble v = containers.get(i).metrics().get(f);
                    if (v.isPresent()) {
                        TaskLabels.Labels l = labels.get(i);
                        samples.add(f.prometheus.mode() == null
                                ? new Sample(sampleName, l.names(), l.values(), v.getAsDouble())
                                : new Sample(sampleName, SnapshotCollector.concat(l.names(), MODE),
                                        SnapshotCollector.concat(l.values(), List.of(f.prometheus.mode())),
                                        v.getAsDouble()));
                    }
                }
            }
            out.add(new MetricFamilySamples(family, type, first.prometheus.help(), samples));
        });
        return out;
    }
}
