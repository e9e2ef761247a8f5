package io.gostats.relay.sink.mackerel.plugin;

import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalDouble;

import io.gostats.relay.model.GoRuntime;
import io.gostats.relay.sink.mackerel.graphs.GostatsMetric;

/**
 * The cumulative GC figures of one run, kept for the next: each run is a new process, so plugin mode computes
 * {@code gc_per_second} and {@code gc_pause_per_second} for sources without the handler's interval figures
 * (client_golang, expvar) from these between two runs, as the relay does between its own fetches: GCs per second,
 * and milliseconds of pause since the previous run. Absent at the first run, after a restart (the start time moved),
 * and when a counter went down.
 */
public record Counters(OptionalDouble gcCycles, OptionalDouble gcPauseSeconds, OptionalDouble startTime) {

    static final Counters NONE = new Counters(OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty());

    static Counters of(GoRuntime r) {
        return new Counters(r.gcCycles().isPresent() ? OptionalDouble.of(r.gcCycles().getAsLong())
                : OptionalDouble.empty(), r.gcPauseSecondsTotal(), r.startTimeSeconds());
    }

    /** The two interval figures from {@code previous} to these, {@code seconds} apart; none where none can be had. */
    Map<GostatsMetric, Double> intervalSince(Counters previous, long seconds) {
        Map<GostatsMetric, Double> figures = new EnumMap<>(GostatsMetric.class);
        boolean restarted = startTime.isPresent() && previous.startTime.isPresent()
                && !GoRuntime.sameStart(startTime.getAsDouble(), previous.startTime.getAsDouble());
        if (seconds <= 0 || restarted) {
            return figures;
        }
        rise(previous.gcCycles, gcCycles).ifPresent(d -> figures.put(GostatsMetric.GC_PER_SECOND, d / seconds));
        rise(previous.gcPauseSeconds, gcPauseSeconds)
                .ifPresent(d -> figures.put(GostatsMetric.GC_PAUSE_PER_SECOND, d * 1000));
        return figures;
    }

    private static OptionalDouble rise(OptionalDouble before, OptionalDouble now) {
        if (before.isEmpty() || now.isEmpty() || now.getAsDouble() < before.getAsDouble()) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(now.getAsDouble() - before.getAsDouble());
    }
}
