package io.gostats.relay.sink.mackerel.graphs;

import io.gostats.relay.model.GoSeries;

/**
 * The 15 metrics of mackerel-plugin-gostats, in the plugin's order: the catalogue's series that Mackerel posts (their
 * names come from {@link GoSeries#mackerel}), with the Mackerel-only rules: the graph, the label in it, and how a
 * point is computed (as fetched, or "Diff", a per-minute rate between two points). {@code heap_released} is a gauge
 * here; the plugin's Diff of it (0 whenever it shrinks) is kept only in compatibility mode.
 */
public enum GostatsMetric {
    GOROUTINE_NUM(GoSeries.GOROUTINES, GostatsGraph.RUNTIME, "Goroutine Num", Kind.GAUGE),
    CGO_CALL_NUM(GoSeries.CGO_CALLS, GostatsGraph.RUNTIME, "CGO Call Num", Kind.DIFF),
    MEMORY_ALLOC(GoSeries.HEAP_ALLOC, GostatsGraph.MEMORY, "Alloc", Kind.GAUGE),
    MEMORY_SYS(GoSeries.SYS, GostatsGraph.MEMORY, "Sys", Kind.GAUGE),
    MEMORY_STACK(GoSeries.STACK_INUSE, GostatsGraph.MEMORY, "Stack In Use", Kind.GAUGE),
    MEMORY_LOOKUPS(GoSeries.LOOKUPS, GostatsGraph.OPERATION, "Pointer Lookups", Kind.DIFF),
    MEMORY_MALLOCS(GoSeries.MALLOCS, GostatsGraph.OPERATION, "Mallocs", Kind.DIFF),
    MEMORY_FREES(GoSeries.FREES, GostatsGraph.OPERATION, "Frees", Kind.DIFF),
    HEAP_SYS(GoSeries.HEAP_SYS, GostatsGraph.HEAP, "Sys", Kind.GAUGE),
    HEAP_IDLE(GoSeries.HEAP_IDLE, GostatsGraph.HEAP, "Idle", Kind.GAUGE),
    HEAP_INUSE(GoSeries.HEAP_INUSE, GostatsGraph.HEAP, "In Use", Kind.GAUGE),
    HEAP_RELEASED(GoSeries.HEAP_RELEASED, GostatsGraph.HEAP, "Released", Kind.GAUGE_OR_COMPAT_DIFF),
    GC_NUM(GoSeries.GC_CYCLES, GostatsGraph.GC, "GC Num", Kind.DIFF),
    GC_PER_SECOND(GoSeries.GC_PER_SECOND, GostatsGraph.GC, "GC Per Second", Kind.GC_RATE),
    GC_PAUSE_PER_SECOND(GoSeries.GC_PAUSE_MILLIS, GostatsGraph.GC, "GC Pause Per Second", Kind.GC_PAUSE);

    public enum Kind {
        GAUGE,
        DIFF,
        GAUGE_OR_COMPAT_DIFF,
        /** GCs per second over the minute: the handler's value when one fetch covers the minute. */
        GC_RATE,
        /** Milliseconds of GC pause over the minute: the sum of the handler's values of the minute's fetches. */
        GC_PAUSE
    }

    public final GoSeries series;
    public final GostatsGraph graph;
    /** The metric's name in its graph, the {@code /stats} field name (the plugin's state file uses it too). */
    public final String key;
    public final String label;
    public final Kind kind;

    GostatsMetric(GoSeries series, GostatsGraph graph, String label, Kind kind) {
        this.series = series;
        this.graph = graph;
        this.key = series.mackerel.substring(series.mackerel.indexOf('.') + 1);
        this.label = label;
        this.kind = kind;
        if (!series.mackerel.equals(graph.key + "." + key)) {
            throw new IllegalStateException(series + " is posted as " + series.mackerel + ", not in graph " + graph.key);
        }
    }

    public boolean isDiff(boolean compat) {
        return kind == Kind.DIFF || (compat && kind == Kind.GAUGE_OR_COMPAT_DIFF);
    }

    /** {@code <graph>.<metric>}, the part of the name after the key segment. */
    public String path() {
        return series.mackerel;
    }
}
