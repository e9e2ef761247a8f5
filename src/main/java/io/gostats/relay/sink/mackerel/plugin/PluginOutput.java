package io.gostats.relay.sink.mackerel.plugin;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.gostats.relay.sink.mackerel.api.GraphDefinition;
import io.gostats.relay.sink.mackerel.graphs.GraphSets;

/**
 * What mackerel-plugin-gostats writes to stdout: value lines {@code name<TAB>value<TAB>epoch}, and in meta mode the
 * header line and one line of graph JSON, which mackerel-agent turns into the graph definitions the sink posts.
 */
public final class PluginOutput {

    public static final String META_HEADER = "# mackerel-agent-plugin";
    private static final ObjectMapper JSON = new ObjectMapper();

    private PluginOutput() {
    }

    /** One value line, LF-terminated. */
    public static String line(String name, double value, long epochSecond) {
        return name + "\t" + number(value) + "\t" + epochSecond + "\n";
    }

    /**
     * Go's {@code %d} when the value is a whole number, else {@code %f}: exactly 6 decimals, the exact binary value
     * rounded half to even (Java's {@code %.6f} would round the shortest decimal half up).
     */
    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 0x1p63) {
            return Long.toString((long) v);
        }
        return new BigDecimal(v).setScale(6, RoundingMode.HALF_EVEN).toPlainString();
    }

    /**
     * Meta mode for the prefix {@code <prefix>.#}: the wildcard graphs of {@link GraphSets#gostatsWildcard},
     * without the {@code custom.} that mackerel-agent prepends, metric names relative to their graph.
     */
    public static String meta(String prefix) {
        Map<String, Object> graphs = new LinkedHashMap<>();
        for (GraphDefinition g : GraphSets.gostatsWildcard(prefix)) {
            String key = g.name().substring("custom.".length());
            List<Map<String, Object>> metrics = g.metrics().stream().map(m -> {
                Map<String, Object> metric = new LinkedHashMap<>();
                metric.put("name", m.name().substring(g.name().length() + 1));
                metric.put("label", m.displayName());
                metric.put("stacked", m.isStacked());
                return metric;
            }).toList();
            Map<String, Object> graph = new LinkedHashMap<>();
            graph.put("label", g.displayName());
            graph.put("unit", g.unit());
            graph.put("metrics", metrics);
            graphs.put(key, graph);
        }
        try {
            return META_HEADER + "\n" + JSON.writeValueAsString(Map.of("graphs", graphs)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
