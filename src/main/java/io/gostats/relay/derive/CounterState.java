package io.gostats.relay.derive;

import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.function.Function;

import io.gostats.relay.model.GoRuntime;

/**
 * What one target's counters were at its last good sample. A restart (a new process on the same container port)
 * shows as a cumulative counter going down: then the relay's own counters start again from the new process, which
 * Prometheus reads as an ordinary counter reset. {@code gc_num} is a uint32: it going down alone is a wrap. Only
 * counters both samples report are compared: an absent one says nothing.
 */
record CounterState(GoRuntime last, long gcWraps, double gcPauseSecondsSummed) {

    private static final long UINT32 = 1L << 32;
    private static final java.util.List<Function<GoRuntime, OptionalLong>> RESTART_SIGNS = java.util.List.of(
            GoRuntime::allocatedBytesTotal, GoRuntime::mallocs, GoRuntime::cgoCalls);

    static CounterState first(GoRuntime s) {
        return new CounterState(s, 0, pauseSeconds(s));
    }

    static boolean isRestart(GoRuntime prev, GoRuntime cur) {
        for (Function<GoRuntime, OptionalLong> counter : RESTART_SIGNS) {
            OptionalLong p = counter.apply(prev);
            OptionalLong c = counter.apply(cur);
            if (p.isPresent() && c.isPresent() && c.getAsLong() < p.getAsLong()) {
                return true;
            }
        }
        return false;
    }

    CounterState next(GoRuntime cur) {
        if (isRestart(last, cur)) {
            return first(cur);
        }
        boolean wrapped = last.gcCycles().isPresent() && cur.gcCycles().isPresent()
                && cur.gcCycles().getAsLong() < last.gcCycles().getAsLong();
        return new CounterState(cur, wrapped ? gcWraps + 1 : gcWraps, gcPauseSecondsSummed + pauseSeconds(cur));
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
