package io.gostats.relay.sink.mackerel.points;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import io.gostats.relay.model.Snapshot;
import io.gostats.relay.model.container.ContainerFigure;
import io.gostats.relay.model.container.ContainerMetrics;
import io.gostats.relay.model.container.ContainerReport;

/**
 * One Mackerel point per container metric per minute, as {@link MinutePoints} does for gostats: rates are over the
 * time between this minute's read and the previous minute's (the engine's read times), a container's first read is
 * the baseline, a cycle that does not close a minute ({@link MinuteBoundary}) only moves the minute along. A rate is
 * absent after a gap of more than 600 s (the plugin helper's rule; 300 s for CPU percentages, as the plugin does),
 * and a counter that went down counts from 0 (a restart).
 */
public final class ContainerMinutePoints {

    /** The values of one container at one minute. */
    public record ContainerPoint(ContainerReport container, Map<ContainerPointMetric, Double> values) {
    }

    static final long MAX_GAP_SECONDS = PluginRules.MAX_GAP_SECONDS;
    static final long MAX_CPU_GAP_SECONDS = 300;

    private final Map<String, ContainerMetrics> lastPoint = new HashMap<>();
    private final MinuteBoundary boundary = new MinuteBoundary();

    public List<ContainerPoint> accept(Snapshot snapshot) {
        boolean minute = boundary.closes(snapshot.cycleTime());
        Map<String, ContainerMetrics> seen = new HashMap<>();
        List<ContainerPoint> points = new ArrayList<>();
        for (ContainerReport c : snapshot.containers()) {
            String id = c.metrics().containerId();
            ContainerMetrics prev = lastPoint.get(id);
            if (minute) {
                Map<ContainerPointMetric, Double> values = point(prev, c.metrics());
                if (!values.isEmpty()) {
                    points.add(new ContainerPoint(c, values));
                }
                seen.put(id, c.metrics());
            } else {
                seen.put(id, prev == null ? c.metrics() : prev);
            }
        }
        lastPoint.clear();
        lastPoint.putAll(seen);
        return points;
    }

    static Map<ContainerPointMetric, Double> point(ContainerMetrics prev, ContainerMetrics cur) {
        Map<ContainerPointMetric, Double> values = new EnumMap<>(ContainerPointMetric.class);
        double seconds = prev == null ? 0 : Duration.between(prev.readAt(), cur.readAt()).toNanos() / 1e9;
        for (ContainerPointMetric m : ContainerPointMetric.values()) {
            OptionalDouble now = cur.get(m.figure);
            if (now.isEmpty()) {
                continue;
            }
            if (m.kind == ContainerPointMetric.Kind.GAUGE) {
                values.put(m, now.getAsDouble());
                continue;
            }
            long maxGap = m.kind == ContainerPointMetric.Kind.PERCENT_OF_TIME ? MAX_CPU_GAP_SECONDS : MAX_GAP_SECONDS;
            if (prev == null || seconds <= 0 || seconds > maxGap || prev.get(m.figure).isEmpty()) {
                continue;
            }
            double increase = ContainerFigure.increase(prev.get(m.figure).getAsDouble(), now.getAsDouble());
            switch (m.kind) {
                case PER_SECOND -> values.put(m, increase / seconds);
                case PER_MINUTE -> values.put(m, increase * 60 / seconds);
                case PERCENT_OF_TIME -> values.put(m, increase / seconds * 100);
                case PERCENT_OF_PERIODS -> {
                    OptionalDouble p0 = prev.get(ContainerFigure.CPU_PERIODS);
                    OptionalDouble p1 = cur.get(ContainerFigure.CPU_PERIODS);
                    if (p0.isPresent() && p1.isPresent()) {
                        double periods = ContainerFigure.increase(p0.getAsDouble(), p1.getAsDouble());
                        if (periods > 0) {
                            values.put(m, increase / periods * 100);
                        }
                    }
                }
                default -> throw new IllegalStateException(m.kind.name());
            }
        }
        return values;
    }

    int tracked() {
        return lastPoint.size();
    }
}
