package io.gostats.relay.derive;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.gostats.relay.discovery.SourceStatus;

/**
 * Everything one cycle learned, immutable once made: every sink receives the same snapshot, and a scrape renders
 * exactly one of them. {@code cycleTime} is the aligned start of the cycle (second 0 of the minute with 60 s).
 */
public record Snapshot(long sequence, Instant cycleTime, Duration duration, List<TargetReport> targets,
        List<SourceStatus> discovery) {

    public static final Snapshot EMPTY = new Snapshot(0, Instant.EPOCH, Duration.ZERO, List.of(), List.of());

    public long upCount() {
        return targets.stream().filter(TargetReport::up).count();
    }
}
