package io.gostats.relay.model;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import io.gostats.relay.model.container.ContainerReport;


/**
 * Everything one cycle learned, immutable once made: every sink receives the same snapshot, and a scrape renders
 * exactly one of them. {@code cycleTime} is the aligned start of the cycle (second 0 of the minute with 60 s).
 * {@code containers}: the resource figures of the watched containers read this cycle, one per container.
 */
public record Snapshot(long sequence, Instant cycleTime, Duration duration, List<TargetReport> targets,
        List<SourceStatus> discovery, List<ContainerReport> containers) {

    public static final Snapshot EMPTY = new Snapshot(0, Instant.EPOCH, Duration.ZERO, List.of(), List.of());

    public Snapshot(long sequence, Instant cycleTime, Duration duration, List<TargetReport> targets,
            List<SourceStatus> discovery) {
        this(sequence, cycleTime, duration, targets, discovery, List.of());
    }

    public Snapshot withContainers(List<ContainerReport> reports) {
        return new Snapshot(sequence, cycleTime, duration, targets, discovery, List.copyOf(reports));
    }

    public long upCount() {
        return targets.stream().filter(TargetReport::up).count();
    }
}
