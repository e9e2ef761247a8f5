package io.gostats.relay.sink.mackerel;

import java.util.function.ToDoubleFunction;

import io.gostats.relay.collect.GoStats;

/**
 * The 15 metrics of mackerel-plugin-gostats, in the plugin's order, with how each is computed: as fetched, or
 * "Diff" (a per-minute rate between two points). {@code heap_released} is a gauge here; the plugin's Diff of it
 * (0 whenever it shrinks) is kept only in compatibility mode.
 */
public enum GostatsMetric {
    GOROUTINE_NUM(GostatsGraph.RUNTIME, "goroutine_num", "Goroutine Num", Kind.GAUGE, GoStats::goroutineNum),
    CGO_CALL_NUM(GostatsGraph.RUNTIME, "cgo_call_num", "CGO Call Num", Kind.DIFF, GoStats::cgoCallNum),
    MEMORY_ALLOC(GostatsGraph.MEMORY, "memory_alloc", "Alloc", Kind.GAUGE, GoStats::memoryAlloc),
    MEMORY_SYS(GostatsGraph.MEMORY, "memory_sys", "Sys", Kind.GAUGE, GoStats::memorySys),
    MEMORY_STACK(GostatsGraph.MEMORY, "memory_stack", "Stack In Use", Kind.GAUGE, GoStats::memoryStack),
    MEMORY_LOOKUPS(GostatsGraph.OPERATION, "memory_lookups", "Pointer Lookups", Kind.DIFF, GoStats::memoryLookups),
    MEMORY_MALLOCS(GostatsGraph.OPERATION, "memory_mallocs", "Mallocs", Kind.DIFF, GoStats::memoryMallocs),
    MEMORY_FREES(GostatsGraph.OPERATION, "memory_frees", "Frees", Kind.DIFF, GoStats::memoryFrees),
    HEAP_SYS(GostatsGraph.HEAP, "heap_sys", "Sys", Kind.GAUGE, GoStats::heapSys),
    HEAP_IDLE(GostatsGraph.HEAP, "heap_idle", "Idle", Kind.GAUGE, GoStats::heapIdle),
    HEAP_INUSE(GostatsGraph.HEAP, "heap_inuse", "In Use", Kind.GAUGE, GoStats::heapInuse),
    HEAP_RELEASED(GostatsGraph.HEAP, "heap_released", "Released", Kind.GAUGE_OR_COMPAT_DIFF, GoStats::heapReleased),
    GC_NUM(GostatsGraph.GC, "gc_num", "GC Num", Kind.DIFF, GoStats::gcNum),
    GC_PER_SECOND(GostatsGraph.GC, "gc_per_second", "GC Per Second", Kind.GC_RATE, GoStats::gcPerSecond),
    GC_PAUSE_PER_SECOND(GostatsGraph.GC, "gc_pause_per_second", "GC Pause Per Second", Kind.GC_PAUSE,
            GoStats::gcPausePerSecond);

    public enum Kind {
        GAUGE,
        DIFF,
        GAUGE_OR_COMPAT_DIFF,
        /** GCs per second over the minute: the handler's value when one fetch covers the minute. */
        GC_RATE,
        /** Milliseconds of GC pause over the minute: the sum of the handler's values of the minute's fetches. */
        GC_PAUSE
    }

    public final GostatsGraph graph;
    public final String key;
    public final String label;
    public final Kind kind;
    final ToDoubleFunction<GoStats> source;

    GostatsMetric(GostatsGraph graph, String key, String label, Kind kind, ToDoubleFunction<GoStats> source) {
        this.graph = graph;
        this.key = key;
        this.label = label;
        this.kind = kind;
        this.source = source;
    }

    public boolean isDiff(boolean compat) {
        return kind == Kind.DIFF || (compat && kind == Kind.GAUGE_OR_COMPAT_DIFF);
    }

    /** {@code <graph>.<metric>}, the part of the name after the key segment. */
    public String path() {
        return graph.key + "." + key;
    }
}
