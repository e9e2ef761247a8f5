package io.gostats.relay.collect.format;

import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;

import io.gostats.relay.collect.FetchException;
import io.gostats.relay.model.FailureReason;
import io.gostats.relay.model.GoRuntime;
import io.gostats.relay.model.SourceFormat;

/**
 * The samples of a client_golang exposition that the runtime record needs, whichever encoding carried them, and
 * their mapping onto it: the go_* and process_* families of client_golang 1.14 and of current releases (1.20+ adds
 * {@code go_sched_gomaxprocs_threads} and drops {@code go_memstats_lookups_total}), plus the opt-in runtime/metrics
 * cgo counter. Only unlabelled samples are kept (no go_* or process_* family has labels but {@code go_info} and the
 * summary's quantiles); a family the exposition lacks leaves its figure absent. {@code go_gc_pauses_seconds} is
 * never used: it is a histogram of single stop-the-world pauses, not of GC cycles.
 */
final class ExpositionValues {

    private static final Map<String, BiConsumer<GoRuntime.Builder, Double>> FIGURES = Map.ofEntries(
            count("go_goroutines", GoRuntime.Builder::goroutines),
            count("go_sched_gomaxprocs_threads", GoRuntime.Builder::gomaxprocs),
            count("go_cgo_go_to_c_calls_calls_total", GoRuntime.Builder::cgoCalls),
            count("go_memstats_alloc_bytes", GoRuntime.Builder::heapAllocBytes),
            count("go_memstats_sys_bytes", GoRuntime.Builder::sysBytes),
            count("go_memstats_stack_inuse_bytes", GoRuntime.Builder::stackInuseBytes),
            count("go_memstats_heap_sys_bytes", GoRuntime.Builder::heapSysBytes),
            count("go_memstats_heap_idle_bytes", GoRuntime.Builder::heapIdleBytes),
            count("go_memstats_heap_inuse_bytes", GoRuntime.Builder::heapInuseBytes),
            count("go_memstats_heap_released_bytes", GoRuntime.Builder::heapReleasedBytes),
            count("go_memstats_heap_objects", GoRuntime.Builder::heapObjects),
            count("go_memstats_next_gc_bytes", GoRuntime.Builder::gcGoalBytes),
            count("go_gc_duration_seconds_count", GoRuntime.Builder::gcCycles),
            seconds("go_gc_duration_seconds_sum", GoRuntime.Builder::gcPauseSecondsTotal),
            count("go_memstats_mallocs_total", GoRuntime.Builder::mallocs),
            count("go_memstats_frees_total", GoRuntime.Builder::frees),
            count("go_memstats_lookups_total", GoRuntime.Builder::lookups),
            count("go_memstats_alloc_bytes_total", GoRuntime.Builder::allocatedBytesTotal),
            seconds("process_cpu_seconds_total", GoRuntime.Builder::cpuSecondsTotal),
            count("process_resident_memory_bytes", GoRuntime.Builder::residentBytes),
            count("process_open_fds", GoRuntime.Builder::openFds),
            count("process_max_fds", GoRuntime.Builder::maxFds),
            seconds("process_start_time_seconds", GoRuntime.Builder::startTimeSeconds));

    private static final double TWO_TO_63 = 0x1p63;

    private final Map<String, Double> samples = new HashMap<>();
    private String goVersion;

    /** Whether the record reads this sample: the readers keep nothing else. */
    static boolean wanted(String sampleName) {
        return FIGURES.containsKey(sampleName);
    }

    /** An unlabelled sample; a second one of the same name is malformed. */
    void put(String sampleName, double value) {
        if (wanted(sampleName) && samples.put(sampleName, value) != null) {
            throw malformed(sampleName + " appears twice");
        }
    }

    void goVersion(String version) {
        goVersion = version;
    }

    GoRuntime toRuntime() {
        GoRuntime.Builder b = GoRuntime.builder(SourceFormat.PROMETHEUS).goVersion(goVersion);
        samples.forEach((name, value) -> FIGURES.get(name).accept(b, value));
        return b.build();
    }

    /** Counts and bytes: client_golang writes them as floats; a negative, NaN or infinite one is malformed. */
    private static Map.Entry<String, BiConsumer<GoRuntime.Builder, Double>> count(String name,
            java.util.function.ObjLongConsumer<GoRuntime.Builder> setter) {
        return Map.entry(name, (b, v) -> {
            if (!(v >= 0 && v < TWO_TO_63)) {
                throw malformed(name + " is " + v + ", not a count");
            }
            setter.accept(b, (long) Math.rint(v));
        });
    }

    private static Map.Entry<String, BiConsumer<GoRuntime.Builder, Double>> seconds(String name,
            java.util.function.ObjDoubleConsumer<GoRuntime.Builder> setter) {
        return Map.entry(name, (b, v) -> {
            if (!(v >= 0 && Double.isFinite(v))) {
                throw malformed(name + " is " + v + ", not a time");
            }
            setter.accept(b, v);
        });
    }

    static FetchException malformed(String detail) {
        return new FetchException(FailureReason.MALFORMED, detail);
    }
}
