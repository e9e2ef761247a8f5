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

    private static final List<String> MODE_LABELS = concat(SnapshotCollector.LABELS, "mode");

    private ContainerSeries() {
    }

    /**
     * No containers (container stats off, static targets only): no container families at all. Names come from the
     * catalogue ({@link ContainerFigure#prometheus}); figures sharing a family are its {@code mode}s.
     */
    static List<MetricFamilySamples> render(List<ContainerReport> containers) {
        if (containers.isEmpty()) {
            return List.of();
        }
        List<List<String>> labels = containers.stream().map(c -> SnapshotCollector.labelValues(c.target())).toList();
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
                        samples.add(f.prometheus.mode() == null
                                ? new Sample(sampleName, SnapshotCollector.LABELS, labels.get(i), v.getAsDouble())
                                : new Sample(sampleName, MODE_LABELS, concat(labels.get(i), f.prometheus.mode()),
                                        v.getAsDouble()));
                    }
                }
            }
            out.add(new MetricFamilySamples(family, type, first.prometheus.help(), samples));
        });
        return out;
    }

    private static List<String> concat(List<String> a, String b) {
        List<String> all = new ArrayList<>(a);
        all.add(b);
        return List.copyOf(all);
    }
}
