package io.gostats.relay.model;

import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * A Go process's runtime figures from one fetch, named by what they mean and independent of the format that carried
 * them. Every figure is optional: a source that does not report one leaves it empty, and every sink leaves it out
 * (no series, no value, no point), never showing 0. Memory figures are in bytes, counters are cumulative since the
 * process started as the process reports them (the relay's own unwrapped and accumulated totals are in
 * {@link TaskMetrics}).
 *
 * @param format              the source format that carried the figures
 * @param goroutines          goroutines that exist ({@code runtime.NumGoroutine})
 * @param gomaxprocs          {@code GOMAXPROCS}
 * @param cgoCalls            cgo calls made, a counter
 * @param heapAllocBytes      bytes of allocated heap objects ({@code MemStats.Alloc}, = {@code HeapAlloc})
 * @param sysBytes            bytes obtained from the OS ({@code MemStats.Sys})
 * @param stackInuseBytes     bytes in stack spans
 * @param heapSysBytes        heap bytes obtained from the OS
 * @param heapIdleBytes       bytes in idle heap spans
 * @param heapInuseBytes      bytes in in-use heap spans
 * @param heapReleasedBytes   heap bytes returned to the OS
 * @param heapObjects         allocated heap objects
 * @param gcGoalBytes         heap size the next GC aims at ({@code MemStats.NextGC})
 * @param gcCycles            completed GC cycles as reported (a uint32 in {@code MemStats}: it may wrap)
 * @param gcPauseSecondsTotal GC stop-the-world pause time since start, where the source reports a total
 * @param mallocs             heap objects allocated, a counter
 * @param frees               heap objects freed, a counter
 * @param lookups             pointer lookups, a counter (always 0 since go1.19; gone from client_golang 1.20)
 * @param allocatedBytesTotal bytes allocated for heap objects, a counter ({@code TotalAlloc})
 * @param gcPerSecond         GCs per second since the source's previous reply, where the source computes it
 *                            (golang-stats-api-handler's {@code gc_per_second})
 * @param gcPauseMillis       milliseconds of GC pause since the source's previous reply, where the source computes
 *                            it (golang-stats-api-handler's {@code gc_pause_per_second}, a total despite its name);
 *                            for other sources the relay derives both from the counters between its own fetches
 * @param cpuSecondsTotal     CPU time of the process, user and system, a counter (client_golang's process collector)
 * @param residentBytes       resident memory of the process
 * @param openFds             open file descriptors
 * @param maxFds              the process's (soft) limit of open file descriptors
 * @param startTimeSeconds    when the process started, Unix seconds (10 ms steps): a change is an exact restart sign
 */
public record GoRuntime(
        SourceFormat format,
        Optional<String> goVersion,
        Optional<String> goOs,
        Optional<String> goArch,
        OptionalLong goroutines,
        OptionalLong gomaxprocs,
        OptionalLong cgoCalls,
        OptionalLong heapAllocBytes,
        OptionalLong sysBytes,
        OptionalLong stackInuseBytes,
        OptionalLong heapSysBytes,
        OptionalLong heapIdleBytes,
        OptionalLong heapInuseBytes,
        OptionalLong heapReleasedBytes,
        OptionalLong heapObjects,
        OptionalLong gcGoalBytes,
        OptionalLong gcCycles,
        OptionalDouble gcPauseSecondsTotal,
        OptionalLong mallocs,
        OptionalLong frees,
        OptionalLong lookups,
        OptionalLong allocatedBytesTotal,
        OptionalDouble gcPerSecond,
        OptionalDouble gcPauseMillis,
        OptionalDouble cpuSecondsTotal,
        OptionalLong residentBytes,
        OptionalLong openFds,
        OptionalLong maxFds,
        OptionalDouble startTimeSeconds) {

    /** Start times within 1 ms of each other (they are printed in 10 ms steps): the same process. */
    public static boolean sameStart(double a, double b) {
        return Math.abs(a - b) <= 0.001;
    }

    public static Builder builder(SourceFormat format) {
        return new Builder(format);
    }

    /** A builder holding this record's figures, to change some of them. */
    public Builder toBuilder() {
        Builder b = new Builder(format);
        b.goVersion = goVersion;
        b.goOs = goOs;
        b.goArch = goArch;
        b.goroutines = goroutines;
        b.gomaxprocs = gomaxprocs;
        b.cgoCalls = cgoCalls;
        b.heapAllocBytes = heapAllocBytes;
        b.sysBytes = sysBytes;
        b.stackInuseBytes = stackInuseBytes;
        b.heapSysBytes = heapSysBytes;
        b.heapIdleBytes = heapIdleBytes;
        b.heapInuseBytes = heapInuseBytes;
        b.heapReleasedBytes = heapReleasedBytes;
        b.heapObjects = heapObjects;
        b.gcGoalBytes = gcGoalBytes;
        b.gcCycles = gcCycles;
        b.gcPauseSecondsTotal = gcPauseSecondsTotal;
        b.mallocs = mallocs;
        b.frees = frees;
        b.lookups = lookups;
        b.allocatedBytesTotal = allocatedBytesTotal;
        b.gcPerSecond = gcPerSecond;
        b.gcPauseMillis = gcPauseMillis;
        b.cpuSecondsTotal = cpuSecondsTotal;
        b.residentBytes = residentBytes;
        b.openFds = openFds;
        b.maxFds = maxFds;
        b.startTimeSeconds = startTimeSeconds;
        return b;
    }

    /** Fills a record figure by figure; what is never set stays absent. */
    public static final class Builder {
        private final SourceFormat format;
        private Optional<String> goVersion = Optional.empty();
        private Optional<String> goOs = Optional.empty();
        private Optional<String> goArch = Optional.empty();
        private OptionalLong goroutines = OptionalLong.empty();
        private OptionalLong gomaxprocs = OptionalLong.empty();
        private OptionalLong cgoCalls = OptionalLong.empty();
        private OptionalLong heapAllocBytes = OptionalLong.empty();
        private OptionalLong sysBytes = OptionalLong.empty();
        private OptionalLong stackInuseBytes = OptionalLong.empty();
        private OptionalLong heapSysBytes = OptionalLong.empty();
        private OptionalLong heapIdleBytes = OptionalLong.empty();
        private OptionalLong heapInuseBytes = OptionalLong.empty();
        private OptionalLong heapReleasedBytes = OptionalLong.empty();
        private OptionalLong heapObjects = OptionalLong.empty();
        private OptionalLong gcGoalBytes = OptionalLong.empty();
        private OptionalLong gcCycles = OptionalLong.empty();
        private OptionalDouble gcPauseSecondsTotal = OptionalDouble.empty();
        private OptionalLong mallocs = OptionalLong.empty();
        private OptionalLong frees = OptionalLong.empty();
        private OptionalLong lookups = OptionalLong.empty();
        private OptionalLong allocatedBytesTotal = OptionalLong.empty();
        private OptionalDouble gcPerSecond = OptionalDouble.empty();
        private OptionalDouble gcPauseMillis = OptionalDouble.empty();
        private OptionalDouble cpuSecondsTotal = OptionalDouble.empty();
        private OptionalLong residentBytes = OptionalLong.empty();
        private OptionalLong openFds = OptionalLong.empty();
        private OptionalLong maxFds = OptionalLong.empty();
        private OptionalDouble startTimeSeconds = OptionalDouble.empty();

        private Builder(SourceFormat format) {
            this.format = format;
        }

        public Builder goVersion(String v) { goVersion = Optional.ofNullable(v); return this; }
        public Builder goOs(String v) { goOs = Optional.ofNullable(v); return this; }
        public Builder goArch(String v) { goArch = Optional.ofNullable(v); return this; }
        public Builder goroutines(long v) { goroutines = OptionalLong.of(v); return this; }
        public Builder gomaxprocs(long v) { gomaxprocs = OptionalLong.of(v); return this; }
        public Builder cgoCalls(long v) { cgoCalls = OptionalLong.of(v); return this; }
        public Builder heapAllocBytes(long v) { heapAllocBytes = OptionalLong.of(v); return this; }
        public Builder sysBytes(long v) { sysBytes = OptionalLong.of(v); return this; }
        public Builder stackInuseBytes(long v) { stackInuseBytes = OptionalLong.of(v); return this; }
        public Builder heapSysBytes(long v) { heapSysBytes = OptionalLong.of(v); return this; }
        public Builder heapIdleBytes(long v) { heapIdleBytes = OptionalLong.of(v); return this; }
        public Builder heapInuseBytes(long v) { heapInuseBytes = OptionalLong.of(v); return this; }
        public Builder heapReleasedBytes(long v) { heapReleasedBytes = OptionalLong.of(v); return this; }
        public Builder heapObjects(long v) { heapObjects = OptionalLong.of(v); return this; }
        public Builder gcGoalBytes(long v) { gcGoalBytes = OptionalLong.of(v); return this; }
        public Builder gcCycles(long v) { gcCycles = OptionalLong.of(v); return this; }
        public Builder gcPauseSecondsTotal(double v) { gcPauseSecondsTotal = OptionalDouble.of(v); return this; }
        public Builder mallocs(long v) { mallocs = OptionalLong.of(v); return this; }
        public Builder frees(long v) { frees = OptionalLong.of(v); return this; }
        public Builder lookups(long v) { lookups = OptionalLong.of(v); return this; }
        public Builder allocatedBytesTotal(long v) { allocatedBytesTotal = OptionalLong.of(v); return this; }
        public Builder gcPerSecond(double v) { gcPerSecond = OptionalDouble.of(v); return this; }
        public Builder gcPauseMillis(double v) { gcPauseMillis = OptionalDouble.of(v); return this; }
        public Builder cpuSecondsTotal(double v) { cpuSecondsTotal = OptionalDouble.of(v); return this; }
        public Builder residentBytes(long v) { residentBytes = OptionalLong.of(v); return this; }
        public Builder openFds(long v) { openFds = OptionalLong.of(v); return this; }
        public Builder maxFds(long v) { maxFds = OptionalLong.of(v); return this; }
        public Builder startTimeSeconds(double v) { startTimeSeconds = OptionalDouble.of(v); return this; }

        public GoRuntime build() {
            return new GoRuntime(format, goVersion, goOs, goArch, goroutines, gomaxprocs, cgoCalls, heapAllocBytes,
                    sysBytes, stackInuseBytes, heapSysBytes, heapIdleBytes, heapInuseBytes, heapReleasedBytes,
                    heapObjects, gcGoalBytes, gcCycles, gcPauseSecondsTotal, mallocs, frees, lookups,
                    allocatedBytesTotal, gcPerSecond, gcPauseMillis, cpuSecondsTotal, residentBytes, openFds, maxFds,
                    startTimeSeconds);
        }
    }
}
