package io.gostats.relay.sink.mackerel.points;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import io.gostats.relay.model.GoRuntime;
import io.gostats.relay.model.Snapshot;
import io.gostats.relay.model.Target;
import io.gostats.relay.model.TargetReport;
import io.gostats.relay.sink.mackerel.graphs.ProcessMetric;

/**
 * One point of the process figures per task per minute, for tasks whose source reports them. RSS and open fds as
 * fetched; CPU as the CPU seconds between this minute's point and the previous one over their distance, in percent
 * of one core. The CPU figure is absent at a task's first minute and when the process changed in between (its start
 * time moved, or without one, its CPU time went down): a new process's counter says nothing of the minute. The
 * minutes close as {@link MinuteBoundary} says.
 */
public final class ProcessMinutePoints {

    /** The process values of one task at one minute. */
    public record ProcessPoint(Target target, Map<ProcessMetric, Double> values) {
    }

    /** CPU seconds at a point (or at a task's first sample, the baseline of its first minute). */
    private record Baseline(double cpuSeconds, long epochSecond, OptionalDouble startTime) {
    }

    private final Map<String, Baseline> baselines = new HashMap<>();
    private final MinuteBoundary boundary = new MinuteBoundary();

    public List<ProcessPoint> accept(Snapshot snapshot) {
        long now = snapshot.cycleTime().getEpochSecond();
        boolean minute = boundary.closes(snapshot.cycleTime());
        List<ProcessPoint> points = new ArrayList<>();
        Map<String, Baseline> next = new HashMap<>();
        for (TargetReport t : snapshot.targets()) {
            String id = t.target().id();
            Baseline prev = baselines.get(id);
            if (t.metrics().isEmpty()) {
                if (prev != null) {
                    next.put(id, prev);
                }
                continue;
            }
            GoRuntime r = t.metrics().get().runtime();
            Baseline cur = r.cpuSecondsTotal().isPresent()
                    ? new Baseline(r.cpuSecondsTotal().getAsDouble(), now, r.startTimeSeconds()) : null;
            if (!minute) {
                Baseline kept = prev != null ? prev : cur;
                if (kept != null) {
                    next.put(id, kept);
                }
                continue;
            }
            Map<ProcessMetric, Double> values = new EnumMap<>(ProcessMetric.class);
            cpuPercent(prev, cur).ifPresent(v -> values.put(ProcessMetric.CPU, v));
            r.residentBytes().ifPresent(v -> values.put(ProcessMetric.RESIDENT, (double) v));
            r.openFds().ifPresent(v -> values.put(ProcessMetric.OPEN_FDS, (double) v));
            if (!values.isEmpty()) {
                points.add(new ProcessPoint(t.target(), values));
            }
            if (cur != null) {
                next.put(id, cur);
            }
        }
        baselines.clear();
        baselines.putAll(next);
        return points;
    }

    private static OptionalDouble cpuPercent(Baseline prev, Baseline cur) {
        if (prev == null || cur == null || cur.epochSecond() <= prev.epochSecond()) {
            return OptionalDouble.empty();
        }
        OptionalDouble s0 = prev.startTime();
        OptionalDouble s1 = cur.startTime();
        boolean sameProcess = s0.isPresent() && s1.isPresent()
                ? GoRuntime.sameStart(s1.getAsDouble(), s0.getAsDouble())
                : cur.cpuSeconds() >= prev.cpuSeconds();
        double cpu = cur.cpuSeconds() - prev.cpuSeconds();
        if (!sameProcess || cpu < 0 || !Double.isFinite(cpu)) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(cpu / (cur.epochSecond() - prev.epochSecond()) * 100);
    }

    /** Tasks with a baseline (for the churn soak). */
    int tracked() {
        return baselines.size();
    }
}
