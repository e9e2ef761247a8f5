package io.gostats.relay.derive;

import io.gostats.relay.collect.GoStats;

/**
 * What one target's counters were at its last good sample. A restart (a new process on the same container port)
 * shows as the allocation counters going down: then the relay's own counters start again from the new process,
 * which Prometheus reads as an ordinary counter reset. {@code gc_num} is a uint32: it going down alone is a wrap.
 */
record CounterState(GoStats last, long gcWraps, double gcPauseSecondsTotal) {

    private static final long UINT32 = 1L << 32;

    static CounterState first(GoStats s) {
        return new CounterState(s, 0, pauseSeconds(s));
    }

    static boolean isRestart(GoStats prev, GoStats cur) {
        return cur.memoryTotalAlloc() < prev.memoryTotalAlloc() || cur.memoryMallocs() < prev.memoryMallocs()
                || cur.cgoCallNum() < prev.cgoCallNum();
    }

    CounterState next(GoStats cur) {
        if (isRestart(last, cur)) {
            return first(cur);
        }
        long wraps = cur.gcNum() < last.gcNum() ? gcWraps + 1 : gcWraps;
        return new CounterState(cur, wraps, gcPauseSecondsTotal + pauseSeconds(cur));
    }

    long gcCyclesTotal() {
        return last.gcNum() + gcWraps * UINT32;
    }

    /** The handler's pause milliseconds since the previous request; nonsense (negative, NaN) counts as none. */
    private static double pauseSeconds(GoStats s) {
        double ms = s.gcPausePerSecond();
        return Double.isFinite(ms) && ms > 0 ? ms / 1000.0 : 0.0;
    }
}
