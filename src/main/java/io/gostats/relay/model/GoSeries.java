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
            "gostats_goroutines", "runtime.goroutine_num",
            OtlpName.upDown("go.goroutine.count", "{goroutine}")),
    GOMAXPROCS(Kind.GAUGE, "", "GOMAXPROCS of the Go process.", GoRuntime::gomaxprocs,
            "gostats_gomaxprocs", null,
            OtlpName.upDown("go.processor.limit", "{thread}")),
    CGO_CALLS(Kind.COUNTER, "", "Cgo calls made by the process (cgo_call_num).", GoRuntime::cgoCalls,
            "gostats_cgo_calls", "runtime.cgo_call_num",
            OtlpName.counter("gostats.cgo.calls", "{call}")),
    HEAP_ALLOC(Kind.GAUGE, "bytes", "Bytes of allocated heap objects (memory_alloc).", GoRuntime::heapAllocBytes,
            "gostats_memory_alloc_bytes", "memory.memory_alloc",
            OtlpName.upDown("gostats.memory.alloc", "By")),
    SYS(Kind.GAUGE, "bytes", "Bytes of memory obtained from the OS (memory_sys).", GoRuntime::sysBytes,
            "gostats_memory_sys_bytes", "memory.memory_sys",
            OtlpName.upDown("gostats.memory.sys", "By")),
    STACK_INUSE(Kind.GAUGE, "bytes", "Bytes in stack spans (memory_stack).", GoRuntime::stackInuseBytes,
            "gostats_memory_stack_bytes", "memory.memory_stack",
            OtlpName.upDown("go.memory.used", "By").with("go.memory.type", "stack")),
    LOOKUPS(Kind.COUNTER, "", "Pointer lookups by the runtime (memory_lookups).", GoRuntime::lookups,
            "gostats_memory_lookups", "operation.memory_lookups",
            OtlpName.counter("gostats.memory.lookups", "{lookup}")),
    MALLOCS(Kind.COUNTER, "", "Heap objects allocated (memory_mallocs).", GoRuntime::mallocs,
            "gostats_memory_mallocs", "operation.memory_mallocs",
            OtlpName.counter("gostats.memory.mallocs", "{allocation}")),
    FREES(Kind.COUNTER, "", "Heap objects freed (memory_frees).", GoRuntime::frees,
            "gostats_memory_frees", "operation.memory_frees",
            OtlpName.counter("gostats.memory.frees", "{object}")),
    HEAP_SYS(Kind.GAUGE, "bytes", "Bytes of heap memory obtained from the OS (heap_sys).", GoRuntime::heapSysBytes,
            "gostats_heap_sys_bytes", "heap.heap_sys",
            OtlpName.upDown("gostats.memory.heap.sys", "By")),
    HEAP_IDLE(Kind.GAUGE, "bytes", "Bytes in idle heap spans (heap_idle).", GoRuntime::heapIdleBytes,
            "gostats_heap_idle_bytes", "heap.heap_idle",
            OtlpName.upDown("gostats.memory.heap.idle", "By")),
    HEAP_INUSE(Kind.GAUGE, "bytes", "Bytes in in-use heap spans (heap_inuse).", GoRuntime::heapInuseBytes,
            "gostats_heap_inuse_bytes", "heap.heap_inuse",
            OtlpName.upDown("gostats.memory.heap.inuse", "By")),
    HEAP_RELEASED(Kind.GAUGE, "bytes", "Bytes of physical memory returned to the OS (heap_released).",
            GoRuntime::heapReleasedBytes, "gostats_heap_released_bytes", "heap.heap_released",
            OtlpName.upDown("gostats.memory.heap.released", "By")),
    HEAP_OBJECTS(Kind.GAUGE, "", "Allocated heap objects (heap_objects).", GoRuntime::heapObjects,
            "gostats_heap_objects", null,
            OtlpName.upDown("gostats.memory.heap.objects", "{object}")),
    GC_GOAL(Kind.GAUGE, "bytes", "Target heap size of the next GC cycle (gc_next).", GoRuntime::gcGoalBytes,
            "gostats_gc_next_bytes", null,
            OtlpName.upDown("go.memory.gc.goal", "By")),
    GC_CYCLES(Kind.COUNTER, "", "Completed GC cycles (gc_num, unwrapped past 2^32).", GoRuntime::gcCycles,
            "gostats_gc_cycles", "gc.gc_num",
            OtlpName.counter("go.memory.gc.cycles", "{gc_cycle}")),
    /** GCs per second since the source's previous reply: an interval figure, Mackerel's {@code gc_per_second}. */
    GC_PER_SECOND(Kind.GAUGE, "", "GCs per second over the minute (gc_per_second).",
            r -> r.gcPerSecond(), null, "gc.gc_per_second",
            null),
    /** Milliseconds of GC pause in the interval: Mackerel's {@code gc_pause_per_second} (summed per minute). */
    GC_PAUSE_MILLIS(Kind.GAUGE, "ms", "Milliseconds of GC pause over the minute (gc_pause_per_second).",
            r -> r.gcPauseMillis(), null, "gc.gc_pause_per_second",
            null),
    GC_PAUSE(Kind.COUNTER, "seconds",
            "GC stop-the-world pause time, summed over the relay's fetches (gc_pause_per_second).",
            r -> r.gcPauseSecondsTotal(), "gostats_gc_pause_seconds", null,
            OtlpName.counter("gostats.gc.pause.time", "s")),
    ALLOCATED_BYTES(Kind.COUNTER, "bytes", "Bytes allocated for heap objects (memory_total_alloc).",
            GoRuntime::allocatedBytesTotal, "gostats_memory_allocated_bytes", null,
            OtlpName.counter("go.memory.allocated", "By")),
    // the process collector of client_golang: the Go process's own figures, inside its container
    PROCESS_CPU(Kind.COUNTER, "seconds", "CPU time of the process, user and system (process_cpu_seconds_total).",
            GoRuntime::cpuSecondsTotal, "gostats_process_cpu_seconds", "process_cpu.usage",
            OtlpName.counter("process.cpu.time", "s")),
    PROCESS_RESIDENT(Kind.GAUGE, "bytes", "Resident memory of the process (process_resident_memory_bytes).",
            GoRuntime::residentBytes, "gostats_process_resident_memory_bytes", "process_memory.resident",
            OtlpName.upDown("process.memory.usage", "By")),
    PROCESS_OPEN_FDS(Kind.GAUGE, "", "Open file descriptors of the process (process_open_fds).",
            GoRuntime::openFds, "gostats_process_open_fds", "process_fds.open",
            OtlpName.upDown("process.open_file_descriptor.count", "{file_descriptor}")),
    PROCESS_MAX_FDS(Kind.GAUGE, "", "Soft limit of open file descriptors of the process (process_max_fds).",
            GoRuntime::maxFds, "gostats_process_max_fds", null,
            OtlpName.upDown("gostats.process.open_file_descriptor.limit", "{file_descriptor}")),
    /** Not a point in OTLP: it is the start time of the process's cumulative counters there. */
    PROCESS_START_TIME(Kind.GAUGE, "seconds", "Start time of the process, Unix seconds (process_start_time_seconds).",
            GoRuntime::startTimeSeconds, "gostats_process_start_time_seconds", null, null);

    public enum Kind {
        GAUGE, COUNTER
    }

    public final Kind kind;
    /** The unit of the value ("" for a count). */
    public final String unit;
    public final String help;
    /** Prometheus family name, without {@code _total} for counters (the exposition adds it); null: not published. */
    public final String prometheus;
    /**
     * Mackerel {@code <graph>.<metric>} after the task's key segment; null: not posted. The process rows are posted
     * by the sink's own rule ({@code process_cpu.usage}: percent of one core between minutes).
     */
    public final String mackerel;
    /** The OTLP metric this series is sent as; null: not sent (the interval figures: OTLP backends take rates). */
    public final OtlpName otlp;
    private final Function<GoRuntime, OptionalDouble> reported;

    GoSeries(Kind kind, String unit, String help, Function<GoRuntime, ?> reported, String prometheus,
            String mackerel, OtlpName otlp) {
        this.kind = kind;
        this.otlp = otlp;
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
