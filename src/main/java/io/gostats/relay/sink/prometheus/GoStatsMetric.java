package io.gostats.relay.sink.prometheus;

import java.util.List;
import java.util.function.ToDoubleFunction;

import io.gostats.relay.collect.GoStats;
import io.gostats.relay.model.TaskMetrics;
import io.prometheus.client.Collector.Type;

/** The per-task series on /q/metrics: name, type, help and where the value comes from. */
record GoStatsMetric(String name, Type type, String help, ToDoubleFunction<TaskMetrics> value) {

    private static GoStatsMetric gauge(String name, String help, ToDoubleFunction<GoStats> v) {
        return new GoStatsMetric(name, Type.GAUGE, help, m -> v.applyAsDouble(m.raw()));
    }

    /** {@code name} without the {@code _total} suffix, which the exposition adds to counter samples. */
    private static GoStatsMetric counter(String name, String help, ToDoubleFunction<TaskMetrics> v) {
        return new GoStatsMetric(name, Type.COUNTER, help, v);
    }

    static final List<GoStatsMetric> ALL = List.of(
            gauge("gostats_goroutines", "Goroutines that exist (goroutine_num).", GoStats::goroutineNum),
            gauge("gostats_gomaxprocs", "GOMAXPROCS of the Go process.", GoStats::gomaxprocs),
            gauge("gostats_memory_alloc_bytes", "Bytes of allocated heap objects (memory_alloc).", GoStats::memoryAlloc),
            gauge("gostats_memory_sys_bytes", "Bytes of memory obtained from the OS (memory_sys).", GoStats::memorySys),
            gauge("gostats_memory_stack_bytes", "Bytes in stack spans (memory_stack).", GoStats::memoryStack),
            gauge("gostats_heap_sys_bytes", "Bytes of heap memory obtained from the OS (heap_sys).", GoStats::heapSys),
            gauge("gostats_heap_idle_bytes", "Bytes in idle heap spans (heap_idle).", GoStats::heapIdle),
            gauge("gostats_heap_inuse_bytes", "Bytes in in-use heap spans (heap_inuse).", GoStats::heapInuse),
            gauge("gostats_heap_released_bytes", "Bytes of physical memory returned to the OS (heap_released).",
                    GoStats::heapReleased),
            gauge("gostats_heap_objects", "Allocated heap objects (heap_objects).", GoStats::heapObjects),
            gauge("gostats_gc_next_bytes", "Target heap size of the next GC cycle (gc_next).", GoStats::gcNext),
            counter("gostats_gc_cycles", "Completed GC cycles (gc_num, unwrapped past 2^32).",
                    TaskMetrics::gcCyclesTotal),
            counter("gostats_cgo_calls", "Cgo calls made by the process (cgo_call_num).",
                    m -> m.raw().cgoCallNum()),
            counter("gostats_memory_mallocs", "Heap objects allocated (memory_mallocs).",
                    m -> m.raw().memoryMallocs()),
            counter("gostats_memory_frees", "Heap objects freed (memory_frees).", m -> m.raw().memoryFrees()),
            counter("gostats_memory_lookups", "Pointer lookups by the runtime (memory_lookups).",
                    m -> m.raw().memoryLookups()),
            counter("gostats_memory_allocated_bytes", "Bytes allocated for heap objects (memory_total_alloc).",
                    m -> m.raw().memoryTotalAlloc()),
            counter("gostats_gc_pause_seconds",
                    "GC stop-the-world pause time, summed over the relay's fetches (gc_pause_per_second).",
                    TaskMetrics::gcPauseSecondsTotal));
}
