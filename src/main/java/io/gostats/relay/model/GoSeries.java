package io.gostats.relay.model;

import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * The catalogue of per-task Go runtime series: one row per series, read from the source-neutral record, with the
 * name each sink publishes it under. Every sink reads its names here, so a series is named once per sink and nowhere
 * else; a sink's own rules (Mackerel's Diff, labels and graphs; Prometheus's {@code gostats_up} and
 * {@code gostats_info}) stay with that sink. A null name: that sink does not publish the series. Published names never
 * change: dashboards and monitors depend on them.
 * <p>
 * {@link #reported} is the figure as the process reported it (what the Mackerel plugin rules take their Diffs of);
 * {@link #value} is the relay's view, which for the two relay-kept counters is the unwrapped GC count and the pause
 * total (what Prometheus counters need).
 */
public enum GoSeries {
    GOROUTINES(Kind.GAUGE, "", "Goroutines that exist (goroutine_num).", GoRuntime::goroutines,
            "gostats_goroutines", "runtime.goroutine_num"),
    GOMAXPROCS(Kind.GAUGE, "", "GOMAXPROCS of the Go process.", GoRuntime::gomaxprocs,
            "gostats_gomaxprocs", null),
    CGO_CALLS(Kind.COUNTER, "", "Cgo calls made by the process (cgo_call_num).", GoRuntime::cgoCalls,
            "gostats_cgo_calls", "runtime.cgo_call_num"),
    HEAP_ALLOC(Kind.GAUGE, "bytes", "Bytes of allocated heap objects (memory_alloc).", GoRuntime::heapAllocBytes,
            "gostats_memory_alloc_bytes", "memory.memory_alloc"),
    SYS(Kind.GAUGE, "bytes", "Bytes of memory obtained from the OS (memory_sys).", GoRuntime::sysBytes,
            "gostats_memory_sys_bytes", "memory.memory_sys"),
    STACK_INUSE(Kind.GAUGE, "bytes", "Bytes in stack spans (memory_stack).", GoRuntime::stackInuseBytes,
            "gostats_memory_stack_bytes", "memory.memory_stack"),
    LOOKUPS(Kind.COUNTER, "", "Pointer lookups by the runtime (memory_lookups).", GoRuntime::lookups,
            "gostats_memory_lookups", "operation.memory_lookups"),
    MALLOCS(Kind.COUNTER, "", "Heap objects allocated (memory_mallocs).", GoRuntime::mallocs,
            "gostats_memory_mallocs", "operation.memory_mallocs"),
    FREES(Kind.COUNTER, "", "Heap objects freed (memory_frees).", GoRuntime::frees,
            "gostats_memory_frees", "operation.memory_frees"),
    HEAP_SYS(Kind.GAUGE, "bytes", "Bytes of heap memory obtained from the OS (heap_sys).", GoRuntime::heapSysBytes,
            "gostats_heap_sys_bytes", "heap.heap_sys"),
    HEAP_IDLE(Kind.GAUGE, "bytes", "Bytes in idle heap spans (heap_idle).", GoRuntime::heapIdleBytes,
            "gostats_heap_idle_bytes", "heap.heap_idle"),
    HEAP_INUSE(Kind.GAUGE, "bytes", "Bytes in in-use heap spans (heap_inuse).", GoRuntime::heapInuseBytes,
            "gostats_heap_inuse_bytes", "heap.heap_inuse"),
    HEAP_RELEASED(Kind.GAUGE, "bytes", "Bytes of physical memory returned to the OS (heap_released).",
            GoRuntime::heapReleasedBytes, "gostats_heap_released_bytes", "heap.heap_released"),
    HEAP_OBJECTS(Kind.GAUGE, "", "Allocated heap objects (heap_objects).", GoRuntime::heapObjects,
            "gostats_heap_objects", null),
    GC_GOAL(Kind.GAUGE, "bytes", "Target heap size of the next GC cycle (gc_next).", GoRuntime::gcGoalBytes,
            "gostats_gc_next_bytes", null),
    GC_CYCLES(Kind.COUNTER, "", "Completed GC cycles (gc_num, unwrapped past 2^32).", GoRuntime::gcCycles,
            "gostats_gc_cycles", "gc.gc_num"),
    /** GCs per second since the source's previous reply: an interval figure, Mackerel's {@code gc_per_second}. */
    GC_PER_SECOND(Kind.GAUGE, "", "GCs per second over the minute (gc_per_second).",
            r -> r.gcPerSecond(), null, "gc.gc_per_second"),
    /** Milliseconds of GC pause in the interval: Mackerel's {@code gc_pause_per_second} (summed per minute). */
    GC_PAUSE_MILLIS(Kind.GAUGE, "ms", "Milliseconds of GC pause over the minute (gc_pause_per_second).",
            r -> r.gcPauseMillis(), null, "gc.gc_pause_per_second"),
    GC_PAUSE(Kind.COUNTER, "seconds",
            "GC stop-the-world pause time, summed over the relay's fetches (gc_pause_per_second).",
            r -> r.gcPauseSecondsTotal(), "gostats_gc_pause_seconds", null),
    ALLOCATED_BYTES(Kind.COUNTER, "bytes", "Bytes allocated for heap objects (memory_total_alloc).",
            GoRuntime::allocatedBytesTotal, "gostats_memory_allocated_bytes", null),
    // the process collector of client_golang: the Go process's own figures, inside its container
    PROCESS_CPU(Kind.COUNTER, "seconds", "CPU time of the process, user and system (process_cpu_seconds_total).",
            GoRuntime::cpuSecondsTotal, "gostats_process_cpu_seconds", null),
    PROCESS_RESIDENT(Kind.GAUGE, "bytes", "Resident memory of the process (process_resident_memory_bytes).",
            GoRuntime::residentBytes, "gostats_process_resident_memory_bytes", null),
    PROCESS_OPEN_FDS(Kind.GAUGE, "", "Open file descriptors of the process (process_open_fds).",
            GoRuntime::openFds, "gostats_process_open_fds", null),
    PROCESS_MAX_FDS(Kind.GAUGE, "", "Soft limit of open file descriptors of the process (process_max_fds).",
            GoRuntime::maxFds, "gostats_process_max_fds", null),
    PROCESS_START_TIME(Kind.GAUGE, "seconds", "Start time of the process, Unix seconds (process_start_time_seconds).",
            GoRuntime::startTimeSeconds, "gostats_process_start_time_seconds", null);

    public enum Kind {
        GAUGE, COUNTER
    }

    public final Kind kind;
    /** The unit of the value ("" for a count). */
    public final String unit;
    public final String help;
    /** Prometheus family name, without {@code _total} for counters (the exposition adds it); null: not published. */
    public final String prometheus;
    /** Mackerel {@code <graph>.<metric>} after the task's key segment; null: not posted. */
    public final String mackerel;
    private final Function<GoRuntime, OptionalDouble> reported;

    GoSeries(Kind kind, String unit, String help, Function<GoRuntime, ?> reported, String prometheus,
            String mackerel) {
        this.kind = kind;
        this.unit = unit;
        this.help = help;
        this.reported = asDouble(reported);
        this.prometheus = prometheus;
        this.mackerel = mackerel;
    }

    /** The record's accessor as a double: its figures are OptionalLong (counts, bytes) or OptionalDouble. */
    private static Function<GoRuntime, OptionalDouble> asDouble(Function<GoRuntime, ?> read) {
        return r -> {
            Object v = read.apply(r);
            if (v instanceof OptionalLong l) {
                return l.isPresent() ? OptionalDouble.of(l.getAsLong()) : OptionalDouble.empty();
            }
            return (OptionalDouble) v;
        };
    }

    /** The figure as the process reported it; empty when its source does not report it. */
    public OptionalDouble reported(GoRuntime runtime) {
        return reported.apply(runtime);
    }

    /** The relay's value: the unwrapped GC count and the pause total for those two counters, else as reported. */
    public OptionalDouble value(TaskMetrics m) {
        return switch (this) {
            case GC_CYCLES -> m.gcCyclesTotal().isPresent() ? OptionalDouble.of(m.gcCyclesTotal().getAsLong())
                    : OptionalDouble.empty();
            case GC_PAUSE -> m.gcPauseSecondsTotal();
            default -> reported(m.runtime());
        };
    }
}
