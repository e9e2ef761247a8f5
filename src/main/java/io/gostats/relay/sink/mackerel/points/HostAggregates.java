package io.gostats.relay.sink.mackerel.points;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.gostats.relay.model.Snapshot;
import io.gostats.relay.model.TargetReport;
import io.gostats.relay.sink.mackerel.graphs.GostatsMetric;

/**
 * Fixed-name sums over the host's tasks, {@code custom.<prefix>_host.<graph>.<metric>}, which role graphs can show
 * (they cannot show wildcard names). A rate sums the tasks' rates; a Diff sums the tasks that have a Diff that
 * minute (a task's first minute has none). {@code tasks.running} and {@code tasks.failing} count the targets.
 */
public final class HostAggregates {

    private HostAggregates() {
    }

    /** {@code <graph>.<metric>} → value, for one minute. */
    public static Map<String, Double> of(List<MinutePoints.TaskPoint> points, Snapshot snapshot) {
        Map<GostatsMetric, Double> sums = new EnumMap<>(GostatsMetric.class);
        for (MinutePoints.TaskPoint p : points) {
            p.values().forEach((m, v) -> sums.merge(m, v, Double::sum));
        }
        Map<String, Double> out = new LinkedHashMap<>();
        sums.forEach((m, v) -> out.put(m.path(), v));
        long up = snapshot.targets().stream().filter(TargetReport::up).count();
        out.put("tasks.running", (double) up);
        out.put("tasks.failing", (double) (snapshot.targets().size() - up));
        return out;
    }
}
