package io.gostats.relay.sink.mackerel.points;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import io.gostats.relay.model.Snapshot;
import io.gostats.relay.model.Target;
import io.gostats.relay.model.TargetReport;
import io.gostats.relay.sink.mackerel.graphs.GostatsMetric;

/**
 * One Mackerel point per metric per task per minute, stamped with the time of the cycle that closes the minute
 * ({@link MinuteBoundary}: second 0, or the minute's first cycle when that one never came), whatever the collect
 * interval. A cycle off the minute (the one at start, or the extra ones of a short interval) only moves the
 * minute along: its pause time is summed into the minute, and a task's very first sample becomes the baseline of its
 * first Diff. With several fetches in a minute, {@code gc_per_second} is Δgc_num/Δt over the minute; with one, it is
 * the handler's own value, as the plugin posts it.
 */
public final class MinutePoints {

    /** The values of one task at one minute. */
    public record TaskPoint(Target target, long epochSecond, Map<GostatsMetric, Double> values) {
    }

    private static final class State {
        PluginRules.Previous lastPoint;
        int samples;
        double pauseMs;
        boolean pauseReported;
    }

    private final boolean compat;
    private final Map<String, State> states = new HashMap<>();
    private final MinuteBoundary boundary = new MinuteBoundary();

    public MinutePoints(boolean compat) {
        this.compat = compat;
    }

    public List<TaskPoint> accept(Snapshot snapshot) {
        long now = snapshot.cycleTime().getEpochSecond();
        boolean minute = boundary.closes(snapshot.cycleTime());
        List<TaskPoint> points = new ArrayList<>();
        Map<String, State> seen = new HashMap<>();
        for (TargetReport t : snapshot.targets()) {
            State st = states.getOrDefault(t.target().id(), new State());
            seen.put(t.target().id(), st);
            if (t.metrics().isEmpty()) {
                continue;
            }
            Map<GostatsMetric, Double> cur = PluginRules.reported(t.metrics().get().runtime(), compat);
            st.samples++;
            Double pause = cur.get(GostatsMetric.GC_PAUSE_PER_SECOND);
            if (pause != null) {
                st.pauseReported = true;
                st.pauseMs += Double.isFinite(pause) && pause > 0 ? pause : 0;
            }
            if (minute) {
                Map<GostatsMetric, Double> values = PluginRules.point(st.lastPoint, cur, now, compat,
                        gcPerSecond(st, cur, now),
                        st.pauseReported ? OptionalDouble.of(st.pauseMs) : OptionalDouble.empty());
                if (!values.isEmpty()) {
                    points.add(new TaskPoint(t.target(), now, values));
                    restart(st, cur, now);
                }
            } else if (st.lastPoint == null) {
                restart(st, cur, now);
            }
        }
        states.keySet().retainAll(seen.keySet());
        states.putAll(seen);
        return points;
    }

    private static void restart(State st, Map<GostatsMetric, Double> cur, long now) {
        st.lastPoint = new PluginRules.Previous(cur, now);
        st.samples = 0;
        st.pauseMs = 0;
        st.pauseReported = false;
    }

    /** The handler's rate when one fetch covers the minute; else GCs counted over the minute. */
    private static OptionalDouble gcPerSecond(State st, Map<GostatsMetric, Double> cur, long now) {
        if (st.samples <= 1 || st.lastPoint == null) {
            return PluginRules.optional(cur.get(GostatsMetric.GC_PER_SECOND));
        }
        Double last = st.lastPoint.reported().get(GostatsMetric.GC_NUM);
        Double gcNum = cur.get(GostatsMetric.GC_NUM);
        if (last == null || gcNum == null) {
            return OptionalDouble.empty();
        }
        long ds = now - st.lastPoint.epochSecond();
        double gcs = gcNum - last;
        return OptionalDouble.of(ds < 1 || gcs < 0 ? 0 : gcs / ds);
    }

    int tracked() {
        return states.size();
    }
}
