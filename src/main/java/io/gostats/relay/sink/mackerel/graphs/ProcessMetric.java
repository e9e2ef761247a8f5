package io.gostats.relay.sink.mackerel.graphs;

import io.gostats.relay.model.GoSeries;

/**
 * The process figures Mackerel gets beside the plugin's 15, for tasks whose source has them (client_golang's process
 * collector): one graph per unit under the task's key ({@code custom.<prefix>.<key>.process_cpu.usage} and so on),
 * names from the catalogue ({@link GoSeries#mackerel}). A source without them posts none of these: absent, never 0.
 */
public enum ProcessMetric {
    /** CPU time between two minute points over their distance, in percent of one core (200: two cores busy). */
    CPU(GoSeries.PROCESS_CPU, "percentage", "CPU", "Usage (% of one core)"),
    RESIDENT(GoSeries.PROCESS_RESIDENT, "bytes", "Memory", "Resident"),
    OPEN_FDS(GoSeries.PROCESS_OPEN_FDS, "integer", "File Descriptors", "Open");

    public final GoSeries series;
    /** The graph's name after the key segment, e.g. {@code process_cpu}. */
    public final String graph;
    public final String key;
    final String unit;
    final String word;
    final String label;

    ProcessMetric(GoSeries series, String unit, String word, String label) {
        this.series = series;
        int dot = series.mackerel.indexOf('.');
        this.graph = series.mackerel.substring(0, dot);
        this.key = series.mackerel.substring(dot + 1);
        this.unit = unit;
        this.word = word;
        this.label = label;
    }

    /** {@code <graph>.<metric>}, the part of the name after the key segment. */
    public String path() {
        return series.mackerel;
    }
}
