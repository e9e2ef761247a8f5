package io.gostats.relay.sink.mackerel.graphs;

/** The five graphs of mackerel-plugin-gostats, in the order its meta output sorts them. */
public enum GostatsGraph {
    GC("gc", "GC", "float"),
    HEAP("heap", "Heap", "bytes"),
    MEMORY("memory", "Memory", "bytes"),
    OPERATION("operation", "Operation", "integer"),
    RUNTIME("runtime", "Runtime", "integer");

    public final String key;
    public final String word;
    public final String unit;

    GostatsGraph(String key, String word, String unit) {
        this.key = key;
        this.word = word;
        this.unit = unit;
    }
}
