package io.gostats.relay.sink.mackerel.points;

import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalDouble;

import io.gostats.relay.model.GoRuntime;
import io.gostats.relay.model.SourceFormat;
import io.gostats.relay.sink.mackerel.graphs.GostatsMetric;

/**
 * mackerel-plugin-gostats's arithmetic for one point, given the previous point (or none). Times are whole Unix
 * seconds. A Diff metric is {@code (cur - last) * 60 / Δs}: absent without a previous point, 0 when Δs > 600 s or
 * the difference is negative (a restart, a reset, a wrap). A repeat within the same second gives no point at all.
 * A figure the source does not report gives no value, except in the plugin-compatible outputs for golang-stats
 * replies: the plugin decodes into a Go struct, so a missing key is 0 there, and so it is here.
 */
public final class PluginRules {

    static final long MAX_GAP_SECONDS = 600;

    private PluginRules() {
    }

    /** The previous point: the values as reported (what Diffs are taken of) and its time. */
    public record Previous(Map<GostatsMetric, Double> reported, long epochSecond) {
        public Previous {
            reported = Map.copyOf(reported);
        }
    }

    /**
     * The 15 figures as the process reported them; with {@code compat}, a golang-stats reply's missing keys as 0.
     */
    public static Map<GostatsMetric, Double> reported(GoRuntime runtime, boolean compat) {
        boolean zeroFill = compat && runtime.format() == SourceFormat.GOSTATS;
        Map<GostatsMetric, Double> values = new EnumMap<>(GostatsMetric.class);
        for (GostatsMetric m : GostatsMetric.values()) {
            OptionalDouble v = m.series.reported(runtime);
            if (v.isPresent()) {
                values.put(m, v.getAsDouble());
            } else if (zeroFill) {
                values.put(m, 0.0);
            }
        }
        return values;
    }

    /** A point made of one fetch: the handler's own interval figures are the minute's (plugin mode). */
    public static Map<GostatsMetric, Double> pointOfOneFetch(Previous previous, Map<GostatsMetric, Double> cur,
            long nowSecond, boolean compat) {
        return point(previous, cur, nowSecond, compat, optional(cur.get(GostatsMetric.GC_PER_SECOND)),
                optional(cur.get(GostatsMetric.GC_PAUSE_PER_SECOND)));
    }

    static OptionalDouble optional(Double v) {
        return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    /**
     * @param cur          this point's figures as reported ({@link #reported})
     * @param gcPerSecond  GCs per second over the minute (the handler's value when one fetch covers it)
     * @param gcPauseMs    milliseconds of GC pause over the minute
     * @return the values of this point by metric; empty when the plugin would print nothing
     */
    public static Map<GostatsMetric, Double> point(Previous previous, Map<GostatsMetric, Double> cur, long nowSecond,
            boolean compat, OptionalDouble gcPerSecond, OptionalDouble gcPauseMs) {
        Map<GostatsMetric, Double> values = new EnumMap<>(GostatsMetric.class);
        long ds = previous == null ? 0 : nowSecond - previous.epochSecond();
        if (previous != null && ds < 1) {
            return values;
        }
        for (GostatsMetric m : GostatsMetric.values()) {
            Double v;
            if (m.isDiff(compat)) {
                Double last = previous == null ? null : previous.reported().get(m);
                Double now = cur.get(m);
                if (last == null || now == null) {
                    continue;
                }
                double diff = now - last;
                v = ds > MAX_GAP_SECONDS || diff < 0 ? 0 : diff * 60 / ds;
            } else if (m.kind == GostatsMetric.Kind.GC_RATE) {
                v = gcPerSecond.isPresent() ? gcPerSecond.getAsDouble() : null;
            } else if (m.kind == GostatsMetric.Kind.GC_PAUSE) {
                v = gcPauseMs.isPresent() ? gcPauseMs.getAsDouble() : null;
            } else {
                v = cur.get(m);
            }
            if (v != null && Double.isFinite(v)) {
                values.put(m, v);
            }
        }
        return values;
    }
}
