package io.gostats.relay.sink.mackerel.graphs;

import java.util.ArrayList;
import java.util.List;

import io.gostats.relay.sink.mackerel.api.GraphDefinition;

/** The sets of graph definitions the relay posts for a prefix, and how their titles are written. */
public final class GraphSets {

    private GraphSets() {
    }

    /**
     * The five gostats graphs for every key under {@code custom.<prefix>.#}, as the plugin's meta output gives them
     * for the prefix {@code <prefix>.#}, {@code custom.} prepended as mackerel-agent does.
     */
    public static List<GraphDefinition> gostatsWildcard(String prefix) {
        return gostats("custom." + prefix + ".#", title(prefix + ".#"));
    }

    /**
     * The process graphs for every key, {@code custom.<prefix>.#.process_cpu} and the like ({@link ProcessMetric}):
     * one per unit, posted by the sink (plugin mode keeps the plugin's five).
     */
    public static List<GraphDefinition> processWildcard(String prefix) {
        String base = "custom." + prefix + ".#.";
        List<GraphDefinition> defs = new ArrayList<>();
        for (ProcessMetric m : ProcessMetric.values()) {
            defs.add(new GraphDefinition(base + m.graph, title(prefix + ".#") + " Process " + m.word, m.unit,
                    List.of(new GraphDefinition.Metric(base + m.path(), m.label, false))));
        }
        return List.copyOf(defs);
    }

    /**
     * The graphs of the host's sums ({@link io.gostats.relay.sink.mackerel.points.HostAggregates}): the plugin's
     * graphs under {@code custom.<prefix>_host}, with fixed names that role graphs can show, plus tasks.
     */
    public static List<GraphDefinition> gostatsHostSums(String prefix) {
        String base = "custom." + prefix + "_host";
        List<GraphDefinition> defs = new ArrayList<>(gostats(base, title(prefix) + " Host"));
        defs.add(new GraphDefinition(base + ".tasks", title(prefix) + " Host Tasks", "integer",
                List.of(new GraphDefinition.Metric(base + ".tasks.running", "Running", true),
                        new GraphDefinition.Metric(base + ".tasks.failing", "Failing", true))));
        return List.copyOf(defs);
    }

    /** The five gostats graphs named {@code <base>.<graph>}, titled {@code <title> <Graph>}. */
    private static List<GraphDefinition> gostats(String base, String title) {
        List<GraphDefinition> defs = new ArrayList<>();
        for (GostatsGraph g : GostatsGraph.values()) {
            String name = base + "." + g.key;
            List<GraphDefinition.Metric> metrics = new ArrayList<>();
            for (GostatsMetric m : GostatsMetric.values()) {
                if (m.graph == g) {
                    metrics.add(new GraphDefinition.Metric(name + "." + m.key, m.label, false));
                }
            }
            defs.add(new GraphDefinition(name, title + " " + g.word, g.unit, List.copyOf(metrics)));
        }
        return List.copyOf(defs);
    }

    /**
     * Go's {@code cases.Title(language.Und, cases.NoLower)} as the plugin applies it to its prefix: the first letter
     * of each word upper-cased, the rest left alone. A single {@code .}, {@code _} or {@code :} inside a word does not
     * start a new word; {@code -}, space, {@code /}, {@code #}, {@code *} and {@code ..} do.
     */
    public static String title(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean wordStart = true;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                out.append(wordStart ? Character.toUpperCase(c) : c);
                wordStart = false;
            } else {
                out.append(c);
                boolean midWord = (c == '.' || c == '_' || c == ':') && i > 0 && i + 1 < s.length()
                        && Character.isLetterOrDigit(s.charAt(i - 1)) && Character.isLetterOrDigit(s.charAt(i + 1));
                if (!midWord) {
                    wordStart = true;
                }
            }
        }
        return out.toString();
    }

    /** The graphs of the container sums, {@code custom.<prefix>_host.container_<graph>.<metric>}. */
    public static List<GraphDefinition> containerHostSums(String prefix) {
        String base = "custom." + prefix + "_host.";
        String title = title(prefix) + " Host Container ";
        return List.of(
                graph(base + "container_cpu", title + "CPU", "percentage", "user:User", "system:System"),
                graph(base + "container_memory", title + "Memory", "bytes", "usage:Usage"),
                graph(base + "container_network", title + "Network", "bytes/sec", "rx:Received", "tx:Sent"),
                graph(base + "container_blkio", title + "Block I/O", "bytes/sec", "read:Read", "write:Write"));
    }

    private static GraphDefinition graph(String name, String label, String unit, String... metrics) {
        return new GraphDefinition(name, label, unit, java.util.Arrays.stream(metrics).map(m -> m.split(":", 2))
                .map(m -> new GraphDefinition.Metric(name + "." + m[0], m[1], false)).toList());
    }
}
