package io.gostats.relay.sink.prometheus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import io.gostats.relay.model.container.ContainerFigure;
import io.gostats.relay.model.container.ContainerReport;

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
    static void render(List<ContainerReport> containers, Map<String, TaskLabels.Labels> byTarget, ExpositionText out) {
        if (containers.isEmpty()) {
            return;
        }
        // a container's target is one of the snapshot's; else (never from derive) its task labels
        List<byte[]> labels = containers.stream().map(c -> byTarget.getOrDefault(c.target().id(),
                new TaskLabels.Labels(SeriesLabels.TASK.names, SeriesLabels.TASK.values(c.target(), c.slot()))))
                .map(l -> ExpositionText.labels(l.names(), l.values())).toList();
        Map<String, List<ContainerFigure>> families = new LinkedHashMap<>();
        for (ContainerFigure f : ContainerFigure.values()) {
            if (f.prometheus != null) {
                families.computeIfAbsent(f.prometheus.family(), k -> new ArrayList<>()).add(f);
            }
        }
        families.forEach((family, figures) -> {
            ContainerFigure first = figures.get(0);
            boolean counter = first.kind == ContainerFigure.Kind.COUNTER;
            String sampleName = counter ? family + "_total" : family;
            out.family(family, counter, first.prometheus.help());
            for (int i = 0; i < containers.size(); i++) {
                for (ContainerFigure f : figures) {
                    OptionalDouble v = containers.get(i).metrics().get(f);
                    if (v.isPresent()) {
                        if (f.prometheus.mode() == null) {
                            out.sample(sampleName, labels.get(i), v.getAsDouble());
                        } else {
                            out.sample(sampleName, labels.get(i), MODE, List.of(f.prometheus.mode()), v.getAsDouble());
                        }
                    }
                }
            }
        });
    }
}
