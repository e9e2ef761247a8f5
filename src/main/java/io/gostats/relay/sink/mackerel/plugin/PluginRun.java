package io.gostats.relay.sink.mackerel.plugin;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.jboss.logging.Logger;

import io.gostats.relay.model.GoRuntime;
import io.gostats.relay.model.SourceFormat;
import io.gostats.relay.model.TargetReport;
import io.gostats.relay.sink.mackerel.graphs.GostatsMetric;
import io.gostats.relay.sink.mackerel.keys.TaskKeys;
import io.gostats.relay.sink.mackerel.points.PluginRules;

/**
 * One run of plugin mode over every target: what mackerel-plugin-gostats would print if it were run once per target
 * with the prefix {@code <prefix>.<key>}, computed by {@link PluginRules} as the Mackerel sink computes a minute of
 * one fetch. Targets in key order, each target's metrics in the plugin's order (the plugin's order is random).
 */
public final class PluginRun {

    private static final Logger LOG = Logger.getLogger(PluginRun.class);

    private PluginRun() {
    }

    /**
     * @param keyOf   the key segment of each target, by target id ({@link TaskKeys})
     * @param state   the previous values; updated with this run's
     * @param nowSecond the run's wall-clock second, taken before the fetches
     * @return the value lines
     */
    public static String lines(String prefix, boolean compat, Map<String, String> keyOf, List<TargetReport> reports,
            PluginState state, long nowSecond) {
        StringBuilder out = new StringBuilder();
        List<TargetReport> sorted = reports.stream()
                .sorted(Comparator.comparing((TargetReport r) -> keyOf.get(r.target().id()))).toList();
        for (TargetReport r : sorted) {
            String name = prefix + "." + keyOf.get(r.target().id());
            if (r.metrics().isEmpty()) {
                LOG.warnf("%s (%s): %s %s", name, r.target().url(), r.failure().map(f -> f.label()).orElse("down"),
                        r.detail());
                continue;
            }
            GoRuntime runtime = r.metrics().get().runtime();
            Map<GostatsMetric, Double> reported = PluginRules.reported(runtime, compat);
            PluginRules.Previous previous = state.previous(name).orElse(null);
            Counters counters = Counters.of(runtime);
            if (previous != null && runtime.format() != SourceFormat.GOSTATS) {
                // no handler to keep the baseline (client_golang, expvar): the counters between this run and the last;
                // a golang-stats reply without the fields stays as the plugin prints it
                reported.putAll(counters.intervalSince(state.counters(name), nowSecond - previous.epochSecond()));
            }
            Map<GostatsMetric, Double> values = PluginRules.pointOfOneFetch(previous, reported, nowSecond, compat);
            if (values.isEmpty()) {
                LOG.infof("%s: state was recently updated (%d), nothing printed", name, previous.epochSecond());
                continue;
            }
            if (previous == null) {
                LOG.debugf("%s: first run, Diff metrics start with the next one", name);
            }
            values.forEach((m, v) -> out.append(PluginOutput.line(name + "." + m.path(), v, nowSecond)));
            state.put(name, reported, counters, nowSecond);
        }
        return out.toString();
    }
}
