package io.gostats.relay.sink.mackerel;

import java.util.EnumMap;
import java.util.Map;

import io.gostats.relay.collect.GoStats;

/**
 * mackerel-plugin-gostats's arithmetic for one point, given the previous point (or none). Times are whole Unix
 * seconds. A Diff metric is {@code (cur - last) * 60 / Δs}: absent without a previous point, 0 when Δs > 600 s or
 * the difference is negative (a restart, a reset, a wrap). A repeat within the same second gives no point at all.
 */
public final class PluginRules {

    public static final long MAX_GAP_SECONDS = 600;

    private PluginRules() {
    }

    /** The previous point: its raw values and time. */
    public record Previous(GoStats raw, long epochSecond) {
    }

    /**
     * @param gcPerSecond  GCs per second over the minute (the handler's value when one fetch covers it)
     * @param gcPauseMs    milliseconds of GC pause over the minute
     * @return the values of this point by metric; empty when the plugin would print nothing
     */
    public static Map<GostatsMetric, Double> point(Previous previous, GoStats cur, long nowSecond, boolean compat,
            double gcPerSecond, double gcPauseMs) {
        Map<GostatsMetric, Double> values = new EnumMap<>(GostatsMetric.class);
        long ds = previous == null ? 0 : nowSecond - previous.epochSecond();
        if (previous != null && ds < 1) {
            return values;
        }
        for (GostatsMetric m : GostatsMetric.values()) {
            double v;
            if (m.isDiff(compat)) {
                if (previous == null) {
                    continue;
                }
                double diff = m.source.applyAsDouble(cur) - m.source.applyAsDouble(previous.raw());
                v = ds > MAX_GAP_SECONDS || diff < 0 ? 0 : diff * 60 / ds;
            } else if (m.kind == GostatsMetric.Kind.GC_RATE) {
                v = gcPerSecond;
            } else if (m.kind == GostatsMetric.Kind.GC_PAUSE) {
                v = gcPauseMs;
            } else {
                v = m.source.applyAsDouble(cur);
            }
            if (Double.isFinite(v)) {
                values.put(m, v);
            }
        }
        return values;
    }
}
