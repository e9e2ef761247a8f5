package io.gostats.relay.derive;

import java.time.Instant;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.function.Function;

import io.gostats.relay.model.GoRuntime;

/**
 * What one target's counters were at its last good sample, fetched at {@code at}. A restart (a new process on the
 * same container port) starts the relay's own counters again from the new process, which Prometheus reads as an
 * ordinary counter reset. Where both samples carry the process start time (client_golang's process collector), a
 * change of it is the restart, exactly, even when the new process's counters are already past the old ones; else a
 * cumulative counter going down is the sign. {@code gc_num} is a uint32: it going down alone is a wrap. Only
 * counters both samples report are compared: an absent one says nothing.
 */
record CounterState(GoRuntime last, Instant at, long gcWraps, double gcPauseSecondsSummed) {

    private static final long UINT32 = 1L << 32;
    private static final java.util.List<Function<GoRuntime, OptionalLong>> RESTART_SIGNS = java.util.List.of(
            GoRuntime::allocatedBytesTotal, GoRuntime::mallocs, GoRuntime::cgoCalls);

    static CounterState first(GoRuntime s, Instant at) {
        return new CounterState(s, at, 0, pauseSeconds(s));
    }

    static boolean isRestart(GoRuntime prev, GoRuntime cur) {
        OptionalDouble p = prev.startTimeSeconds();
        OptionalDouble c = cur.startTimeSeconds();
        if (p.isPresent() && c.isPresent()) {
            return !GoRuntime.sameStart(c.getAsDouble(), p.getAsDouble());
        }
        for (Function<GoRuntime, OptionalLong> counter : RESTART_SIGNS) {
            OptionalLong pc = counter.apply(prev);
            OptionalLong cc = counter.apply(cur);
            if (pc.isPresent() && cc.isPresent() && cc.getAsLong() < pc.getAsLong()) {
                return true;
            }
        }
        return false;
    }

    CounterState next(GoRuntime cur, Instant curAt) {
        if (isRestart(last, cur)) {
            return first(cur, curAt);
        }
        boolean wrapped = last.gcCycles().isPresent() && cur.gcCycles().isPresent()
                && cur.gcCycles().getAsLong() < last.gcCycles().getAsLong();
        return new CounterState(cur, curAt, wrapped ? gcWraps + 1 : gcWraps,
                gcPauseSecondsSummed + pauseSeconds(cur));
    }

    OptionalLong gcCyclesTotal() {
        return last.gcCycles().isEmpty() ? OptionalLong.empty()
                : OptionalLong.of(last.gcCycles().getAsLong() + gcWraps * UINT32);
    }

    /** The source's own pause total where it has one; else the handler's per-request pauses summed. */
    OptionalDouble gcPauseSecondsTotal() {
        if (last.gcPauseSecondsTotal().isPresent()) {
            return last.gcPauseSecondsTotal();
        }
        return last.gcPauseMillis().isPresent() ? OptionalDouble.of(gcPauseSecondsSummed) : OptionalDouble.empty();
    }

    /** The handler's pause milliseconds since the previous request; nonsense (negative, NaN) counts as none. */
    private static double pauseSeconds(GoRuntime s) {
        double ms = s.gcPauseMillis().orElse(0);
        return Double.isFinite(ms) && ms > 0 ? ms / 1000.0 : 0.0;
    }
}
