package io.gostats.relay.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;


/**
 * A target in one cycle: whether this cycle's fetch worked, since when it has been in that state (for a failing
 * target: the first failure of the current streak, whatever the reasons since), and, when it
 * worked, the task's metrics. A failed target has no metrics: sinks must not show stale numbers as current.
 * {@code failures} counts this target's failed fetches by reason over its life (only reasons that happened).
 * {@code slot}: the task's stable number on this host per (family, container port), from 1 (derive's
 * {@code TaskSlots}); every sink names the task by it where a name must outlive a deploy.
 */
public record TargetReport(Target target, int slot, boolean up, Optional<FailureReason> failure, String detail,
        Instant since, Instant fetchedAt, Duration took, Optional<TaskMetrics> metrics,
        Map<FailureReason, Long> failures) {

    public TargetReport {
        failures = Map.copyOf(failures);
    }

    /** The format of this cycle's reply when it was read; else the configured one ({@code auto} when replies tell). */
    public String format() {
        return metrics.map(m -> m.runtime().format().label()).orElseGet(target::formatChoice);
    }
}
