package io.gostats.relay.sink.mackerel;

import java.util.ArrayList;
import java.util.List;

/** A body element of {@code POST /api/v0/graph-defs/create}. */
public record GraphDefinition(String name, String displayName, String unit, List<Metric> metrics) {

    public record Metric(String name, String displayName, boolean isStacked) {
    }

    /**
     * The five gostats graphs for every key under {@code custom.<prefix>.#}, as the plugin's meta output gives them
     * for the prefix {@code <prefix>.#}, {@code custom.} prepended as mackerel-agent does.
     */
    public static List<GraphDefinition> gostatsWildcard(String prefix) {
        String p = prefix + ".#";
        List<GraphDefinition> defs = new ArrayList<>();
        for (GostatsGraph g : GostatsGraph.values()) {
            String name = "custom." + p + "." + g.key;
            List<Metric> metrics = new ArrayList<>();
            for (GostatsMetric m : GostatsMetric.values()) {
                if (m.graph == g) {
                    metrics.add(new Metric(name + "." + m.key, m.label, false));
                }
            }
            defs.add(new GraphDefinition(name, title(p) + " " + g.word, g.unit, List.copyOf(metrics)));
        }
        return List.copyOf(defs);
    }

    /**
     * Go's {@code cases.Title(language.Und, cases.NoLower)} as the plugin applies it to its prefix: the first letter
     * of each word upper-cased, the rest left alone. A single {@code .}, {@code _} or {@code :} inside a word does not
     * start a new word; {@code -}, space, {@code /}, {@code #}, {@code *} and {@code ..} do.
     */
    static String title(String s) {
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
}
