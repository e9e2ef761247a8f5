package io.gostats.relay.sink.mackerel.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import io.gostats.relay.sink.mackerel.api.MetricValue;
import io.gostats.relay.sink.mackerel.graphs.GostatsMetric;

/**
 * What the Mackerel sink queues for one minute of {@code tasks} tasks: the plugin's 15 metrics each, under the
 * names, host ids and kinds of values (byte counts, counts per minute, fractional rates) a real fleet gives. The
 * values are a function of (minute, task, metric), so a test can check what arrived.
 */
final class MinuteValues {

    private MinuteValues() {
    }

    static List<MetricValue> of(long minute, int tasks) {
        List<MetricValue> values = new ArrayList<>(tasks * GostatsMetric.values().length);
        for (int task = 0; task < tasks; task++) {
            String hostId = hostId(task);
            String prefix = "custom.gostats." + (32768 + task) + ".";
            for (GostatsMetric m : GostatsMetric.values()) {
                values.add(new MetricValue(hostId, prefix + m.path(), minute, value(minute, task, m)));
            }
        }
        return values;
    }

    static String hostId(int task) {
        return String.format("4Ab2c%06d", task);
    }

    static double value(long minute, int task, GostatsMetric m) {
        SplittableRandom random = new SplittableRandom(minute * 1_000_003L + task * 31L + m.ordinal());
        return switch (m.kind) {
            case GC_RATE, GC_PAUSE -> random.nextDouble() * 10;
            case DIFF -> random.nextInt(1_000_000);
            default -> random.nextLong(4_000_000_000L);
        };
    }
}
