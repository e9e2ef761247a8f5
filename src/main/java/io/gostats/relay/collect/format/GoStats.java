package io.gostats.relay.collect.format;

import java.util.function.ObjLongConsumer;

import io.gostats.relay.model.GoRuntime;
import io.gostats.relay.model.SourceFormat;

/**
 * One /stats reply of golang-stats-api-handler as {@link StatsParser} reads it, before it becomes a
 * {@link GoRuntime}: a key the reply leaves out is null here, and absent there. {@code time} and {@code gc_last} are
 * nanoseconds above 2^53: they are read as longs, never through a double. {@code gc_pause} is not kept (its sum is
 * {@code gc_pause_per_second}).
 */
record GoStats(
        Long time,
        String goVersion,
        String goOs,
        String goArch,
        Long cpuNum,
        Long goroutineNum,
        Long gomaxprocs,
        Long cgoCallNum,
        Long memoryAlloc,
        Long memoryTotalAlloc,
        Long memorySys,
        Long memoryLookups,
        Long memoryMallocs,
        Long memoryFrees,
        Long memoryStack,
        Long heapAlloc,
        Long heapSys,
        Long heapIdle,
        Long heapInuse,
        Long heapReleased,
        Long heapObjects,
        Long gcNext,
        Long gcLast,
        Long gcNum,
        Double gcPerSecond,
        Double gcPausePerSecond) {

    /** Whether the document carries at least one runtime figure of the handler's (not only time or versions). */
    boolean hasFigures() {
        for (Object figure : new Object[] { goroutineNum, gomaxprocs, cgoCallNum, memoryAlloc, memoryTotalAlloc,
                memorySys, memoryLookups, memoryMallocs, memoryFrees, memoryStack, heapAlloc, heapSys, heapIdle,
                heapInuse, heapReleased, heapObjects, gcNext, gcLast, gcNum, gcPerSecond, gcPausePerSecond }) {
            if (figure != null) {
                return true;
            }
        }
        return false;
    }

    /** The figures this document carries, each absent where its key was missing (or null). */
    GoRuntime toRuntime() {
        GoRuntime.Builder b = GoRuntime.builder(SourceFormat.GOSTATS).goVersion(goVersion).goOs(goOs).goArch(goArch);
        set(b, goroutineNum, GoRuntime.Builder::goroutines);
        set(b, gomaxprocs, GoRuntime.Builder::gomaxprocs);
        set(b, cgoCallNum, GoRuntime.Builder::cgoCalls);
        set(b, memoryAlloc, GoRuntime.Builder::heapAllocBytes);
        set(b, memorySys, GoRuntime.Builder::sysBytes);
        set(b, memoryStack, GoRuntime.Builder::stackInuseBytes);
        set(b, heapSys, GoRuntime.Builder::heapSysBytes);
        set(b, heapIdle, GoRuntime.Builder::heapIdleBytes);
        set(b, heapInuse, GoRuntime.Builder::heapInuseBytes);
        set(b, heapReleased, GoRuntime.Builder::heapReleasedBytes);
        set(b, heapObjects, GoRuntime.Builder::heapObjects);
        set(b, gcNext, GoRuntime.Builder::gcGoalBytes);
        set(b, gcNum, GoRuntime.Builder::gcCycles);
        set(b, memoryMallocs, GoRuntime.Builder::mallocs);
        set(b, memoryFrees, GoRuntime.Builder::frees);
        set(b, memoryLookups, GoRuntime.Builder::lookups);
        set(b, memoryTotalAlloc, GoRuntime.Builder::allocatedBytesTotal);
        if (gcPerSecond != null) {
            b.gcPerSecond(gcPerSecond);
        }
        if (gcPausePerSecond != null) {
            b.gcPauseMillis(gcPausePerSecond);
        }
        return b.build();
    }

    /**
     * The builder is passed in, not bound into the setter: an unbound method reference is one object for good,
     * where {@code b::goroutines} would be a new one per figure and fetch (C1, which jvm.options runs, does not
     * remove them).
     */
    private static void set(GoRuntime.Builder b, Long value, ObjLongConsumer<GoRuntime.Builder> setter) {
        if (value != null) {
            setter.accept(b, value);
        }
    }
}
