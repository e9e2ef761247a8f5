package io.gostats.relay.collect.format;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.gostats.relay.model.GoRuntime;
import io.gostats.relay.model.SourceFormat;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One /stats reply of golang-stats-api-handler as Jackson reads it, before it becomes a {@link GoRuntime}: a key the
 * reply leaves out is null here, and absent there. {@code time} and {@code gc_last} are nanoseconds above 2^53: they
 * are read as longs, never through a double. {@code gc_pause} is not kept (its sum is {@code gc_pause_per_second}).
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
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
        return java.util.stream.Stream.of(goroutineNum, gomaxprocs, cgoCallNum, memoryAlloc, memoryTotalAlloc,
                memorySys, memoryLookups, memoryMallocs, memoryFrees, memoryStack, heapAlloc, heapSys, heapIdle,
                heapInuse, heapReleased, heapObjects, gcNext, gcLast, gcNum, gcPerSecond, gcPausePerSecond)
                .anyMatch(java.util.Objects::nonNull);
    }

    /** The figures this document carries, each absent where its key was missing (or null). */
    GoRuntime toRuntime() {
        GoRuntime.Builder b = GoRuntime.builder(SourceFormat.GOSTATS).goVersion(goVersion).goOs(goOs).goArch(goArch);
        set(goroutineNum, b::goroutines);
        set(gomaxprocs, b::gomaxprocs);
        set(cgoCallNum, b::cgoCalls);
        set(memoryAlloc, b::heapAllocBytes);
        set(memorySys, b::sysBytes);
        set(memoryStack, b::stackInuseBytes);
        set(heapSys, b::heapSysBytes);
        set(heapIdle, b::heapIdleBytes);
        set(heapInuse, b::heapInuseBytes);
        set(heapReleased, b::heapReleasedBytes);
        set(heapObjects, b::heapObjects);
        set(gcNext, b::gcGoalBytes);
        set(gcNum, b::gcCycles);
        set(memoryMallocs, b::mallocs);
        set(memoryFrees, b::frees);
        set(memoryLookups, b::lookups);
        set(memoryTotalAlloc, b::allocatedBytesTotal);
        if (gcPerSecond != null) {
            b.gcPerSecond(gcPerSecond);
        }
        if (gcPausePerSecond != null) {
            b.gcPauseMillis(gcPausePerSecond);
        }
        return b.build();
    }

    private static void set(Long value, java.util.function.LongFunction<GoRuntime.Builder> setter) {
        if (value != null) {
            setter.apply(value);
        }
    }
}
