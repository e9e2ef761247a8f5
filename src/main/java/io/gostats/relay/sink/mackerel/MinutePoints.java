package io.gostats.relay.sink.mackerel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.gostats.relay.collect.GoStats;
import io.gostats.relay.model.Snapshot;
import io.gostats.relay.model.TargetReport;
import io.gostats.relay.model.Target;

/**
 * One Mackerel point per metric per task per minute, stamped with the minute's cycle time (second 0), whatever the
 * collect interval. A cycle off the minute (the one at start, or the extra ones of a short interval) only moves the
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
    }

    private final boolean compat;
    private final Map<String, State> states = new HashMap<>();

    public MinutePoints(boolean compat) {
        this.compat = compat;
    }

    public List<TaskPoint> accept(Snapshot snapshot) {
        long now = snapshot.cycleTime().getEpochSecond();
        boolean minute = now % 60 == 0;
        List<TaskPoint> points = new ArrayList<>();
        Map<String, State> seen = new HashMap<>();
        for (TargetReport t : snapshot.targets()) {
            State st = states.getOrDefault(t.target().id(), new State());
            seen.put(t.target().id(), st);
            if (t.metrics().isEmpty()) {
                continue;
            }
            GoStats raw = t.metrics().get().raw();
            st.samples++;
            double pause = raw.gcPausePerSecond();
            st.pauseMs += Double.isFinite(pause) && pause > 0 ? pause : 0;
            if (minute) {
                Map<GostatsMetric, Double> values = PluginRules.point(st.lastPoint, raw, now, compat,
                        gcPerSecond(st, raw, now), st.pauseMs);
                if (!values.isEmpty()) {
                    points.add(new TaskPoint(t.target(), now, values));
                    restart(st, raw, now);
                }
            } else if (st.lastPoint == null) {
                restart(st, raw, now);
            }
        }
        states.keySet().retainAll(seen.keySet());
        states.putAll(seen);
        return points;
    }

    private static void restart(State st, GoStats raw, long now) {
        st.lastPoint = new PluginRules.Previous(raw, now);
        st.samples = 0;
        st.pauseMs = 0;
    }

    private static double gcPerSecond(State st, GoStats raw, long now) {
        if (st.samples <= 1 || st.lastPoint == null) {
            return raw.gcPerSecond();
        }
        long ds = now - st.lastPoint.epochSecond();
        long gcs = raw.gcNum() - st.lastPoint.raw().gcNum();
        return ds < 1 || gcs < 0 ? 0 : (double) gcs / ds;
    }

    int tracked() {
        return states.size();
    }
}
