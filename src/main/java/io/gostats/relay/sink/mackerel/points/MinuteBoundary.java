package io.gostats.relay.sink.mackerel.points;

import java.time.Instant;

/**
 * Which cycles close a minute: the cycle at second 0, or, when that boundary's snapshot never came, the minute's
 * first cycle. A boundary goes missing when the cycle before it overran (a stalled Docker engine's timeouts and a
 * hanging target's fetch make a 10 s cycle take 13 s: every other boundary is skipped, and when the skipped ones are
 * the :00 ones the relay runs at :10, :30 and :50 for good) or when the sink's lane fell behind and dropped it. Closing
 * on second 0 alone lost every minute then. The very first cycle (a start in mid-minute) only makes the baseline.
 * One per point maker; not thread-safe (a sink's lane hands it its snapshots in order).
 */
final class MinuteBoundary {

    private long lastMinute = Long.MIN_VALUE;

    /** Whether the cycle of {@code cycleTime} closes a minute; each cycle is told once, in order. */
    boolean closes(Instant cycleTime) {
        long second = cycleTime.getEpochSecond();
        long minute = Math.floorDiv(second, 60);
        boolean closes = Math.floorMod(second, 60) == 0 || lastMinute != Long.MIN_VALUE && minute > lastMinute;
        lastMinute = Math.max(lastMinute, minute);
        return closes;
    }
}
