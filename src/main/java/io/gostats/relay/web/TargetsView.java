package io.gostats.relay.web;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.gostats.relay.model.SourceStatus;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What the targets page shows, as {@code /api/targets} serves it: the last cycle's targets, the discovery sources and
 * the sinks. Built from the last snapshot and the sinks' own statuses; nothing here fetches a target or names a sink.
 * Times are UTC instants, null when there is none yet. Registered for reflection: Jackson writes it in a native
 * build too.
 */
@RegisterForReflection(targets = { TargetsView.class, TargetsView.Cycle.class, TargetsView.TargetRow.class,
        TargetsView.Sink.class, SourceStatus.class })
public record TargetsView(Instant generatedAt, long intervalSeconds, Cycle cycle, List<TargetRow> targets,
        List<SourceStatus> discovery, Map<String, Sink> sinks) {

    public TargetsView {
        targets = List.copyOf(targets);
        discovery = List.copyOf(discovery);
    }

    /** The last completed cycle; {@code sequence} 0 (and a null time) before the first. */
    public record Cycle(long sequence, Instant time, long durationMs, int targets, long up) {
    }

    /**
     * One target. {@code state} is "up" or "down"; a down target has its {@code failure} reason and {@code detail},
     * {@code failures} counts its failed fetches by reason over its life, and {@code since} is the first failure of
     * the current streak (for an up one: its first good fetch since). {@code names}: what each sink that names
     * targets calls this one, by sink name (the Mackerel sink: the key segment of its metric names). {@code format}:
     * the format of the last reply read ({@code gostats}, {@code prometheus}, {@code expvar}), for a down target the
     * configured one ({@code auto} when replies tell).
     */
    public record TargetRow(String id, String address, String path, String format, int containerPort,
            String container, String cluster, String taskArn, String taskId, String family, String revision, String ecsContainer,
            String group, Map<String, String> names, String state, String failure, String detail, Instant since,
            Instant fetchedAt, long tookMs, Map<String, Long> failures) {
    }

    /** An enabled sink: whether it can deliver, its one-line state and its own details. */
    public record Sink(boolean up, String state, Map<String, Object> details) {
    }
}
