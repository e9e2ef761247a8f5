package io.gostats.relay.model.container;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalDouble;

/** One container's figures from one read; a figure the engine does not report is absent, never 0. */
public record ContainerMetrics(String containerId, Instant readAt, Map<ContainerFigure, Double> figures) {

    public ContainerMetrics {
        figures = figures.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(figures));
    }

    public OptionalDouble get(ContainerFigure f) {
        Double v = figures.get(f);
        return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
    }
}
