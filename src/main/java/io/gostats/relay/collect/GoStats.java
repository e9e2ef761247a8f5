package io.gostats.relay.collect;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One /stats reply of golang-stats-api-handler. {@code time} and {@code gc_last} are nanoseconds above 2^53: they are
 * read as longs, never through a double. Missing numbers read as 0, as the plugin reads them; {@code gc_pause} is not
 * kept (its sum is {@code gc_pause_per_second}).
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record GoStats(
        long time,
        String goVersion,
        String goOs,
        String goArch,
        long cpuNum,
        long goroutineNum,
        long gomaxprocs,
        long cgoCallNum,
        long memoryAlloc,
        long memoryTotalAlloc,
        long memorySys,
        long memoryLookups,
        long memoryMallocs,
        long memoryFrees,
        long memoryStack,
        long heapAlloc,
        long heapSys,
        long heapIdle,
        long heapInuse,
        long heapReleased,
        long heapObjects,
        long gcNext,
        long gcLast,
        long gcNum,
        double gcPerSecond,
        double gcPausePerSecond) {

    public GoStats {
        goVersion = goVersion == null ? "" : goVersion;
        goOs = goOs == null ? "" : goOs;
        goArch = goArch == null ? "" : goArch;
    }
}
