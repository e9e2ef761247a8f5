package io.gostats.relay.derive;

import java.time.Duration;
import java.util.OptionalDouble;
import java.util.OptionalLong;

import io.gostats.relay.model.GoRuntime;

/**
 * {@code gc_per_second} and {@code gc_pause_per_second} for sources that do not compute them (client_golang, expvar:
 * everything there is cumulative): from the GC count and pause total between this relay's own two fetches, so that
 * other scrapers of the task cannot split them (golang-stats-api-handler keeps its baseline in the process, moved by
 * every request). Mackerel's semantics: GCs per second, and milliseconds of pause since the previous fetch (a total
 * despite the name). Absent on a target's first sample, after a restart, and when a counter went down.
 */
final class IntervalFigures {

    private IntervalFigures() {
    }

    /** {@code runtime} with the two figures filled from the counters, unless it carries its own or none can be had. */
    static GoRuntime fill(GoRuntime runtime, CounterState prev, CounterState cur, boolean restarted) {
        if (runtime.gcPerSecond().isPresent() || runtime.gcPauseMillis().isPresent() || prev == null || restarted) {
            return runtime;
        }
        double seconds = Duration.between(prev.at(), cur.at()).toNanos() / 1e9;
        if (seconds <= 0) {
            return runtime;
        }
        GoRuntime.Builder b = runtime.toBuilder();
        OptionalLong c0 = prev.gcCyclesTotal();
        OptionalLong c1 = cur.gcCyclesTotal();
        if (c0.isPresent() && c1.isPresent() && c1.getAsLong() >= c0.getAsLong()) {
            b.gcPerSecond((c1.getAsLong() - c0.getAsLong()) / seconds);
        }
        OptionalDouble p0 = prev.gcPauseSecondsTotal();
        OptionalDouble p1 = cur.gcPauseSecondsTotal();
        if (p0.isPresent() && p1.isPresent() && p1.getAsDouble() >= p0.getAsDouble()) {
            b.gcPauseMillis((p1.getAsDouble() - p0.getAsDouble()) * 1000);
        }
        return b.build();
    }
}
