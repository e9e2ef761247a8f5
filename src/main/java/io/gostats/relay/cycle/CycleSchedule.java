package io.gostats.relay.cycle;

import java.time.Duration;
import java.util.List;

/**
 * When cycles run: at every multiple of {@code relay.interval} on the wall clock (with 60 s at second 0 of each
 * minute, as mackerel-agent posts), expressed as a Quartz cron for quarkus-scheduler. A cron can only step through
 * divisors of a minute or of an hour, so those are the intervals allowed: any other would drift off the boundaries.
 */
public record CycleSchedule(Duration interval, String cron) {

    /** Whole seconds that divide a minute, and whole minutes that divide an hour. */
    static final List<Integer> SECONDS = List.of(1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30);
    static final List<Integer> MINUTES = List.of(1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60);

    public static CycleSchedule of(Duration interval) {
        long ms = interval.toMillis();
        if (ms % 1000 == 0) {
            long s = ms / 1000;
            if (SECONDS.contains((int) Math.min(s, Integer.MAX_VALUE))) {
                return new CycleSchedule(interval, s == 1 ? "* * * * * ?" : "0/" + s + " * * * * ?");
            }
            if (s % 60 == 0 && MINUTES.contains((int) Math.min(s / 60, Integer.MAX_VALUE))) {
                long m = s / 60;
                return new CycleSchedule(interval, m == 1 ? "0 * * * * ?" : m == 60 ? "0 0 * * * ?"
                        : "0 0/" + m + " * * * ?");
            }
        }
        throw new IllegalArgumentException("relay.interval: must divide a minute or an hour so that cycles stay on "
                + "the clock's boundaries (1s, 2s, 3s, 4s, 5s, 6s, 10s, 12s, 15s, 20s, 30s, 1m, 2m, 3m, 4m, 5m, "
                + "6m, 10m, 12m, 15m, 20m, 30m, 60m), was " + interval);
    }
}
