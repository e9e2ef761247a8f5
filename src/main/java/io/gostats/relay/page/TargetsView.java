package io.gostats.relay.page;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.gostats.relay.discovery.SourceStatus;
import io.gostats.relay.sink.mackerel.MackerelSink;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What the targets page shows, as {@code /api/targets} serves it: the last cycle's targets, the discovery sources and
 * the sinks. Built from the last snapshot and the sinks' own state; nothing here fetches a target. Times are UTC
 * instants, null when there is none yet. Registered for reflection: Jackson writes it in a native build too.
 */
@RegisterForReflection(targets = { TargetsView.class, TargetsView.Cycle.class, TargetsView.TargetRow.class,
        TargetsView.Sinks.class, TargetsView.Prometheus.class, MackerelSink.Status.class, SourceStatus.class })
public record TargetsView(Instant generatedAt, long intervalSeconds, Cycle cycle, List<TargetRow> targets,
        List<SourceStatus> discovery, Sinks sinks) {

    public TargetsView {
        targets = List.copyOf(targets);
        discovery = List.copyOf(discovery);
    }

    /** The last completed cycle; {@code sequence} 0 (and a null time) before the first. */
    public record Cycle(long sequence, Instant time, long durationMs, int targets, long up) {
    }

    /**
     * One target. {@code state} is "up" or "down"; a down target has its {@code failure} reason and {@code detail},
     * {@code failures} counts its failed fetches by reason over its life, and {@code since} is the first failure of the current streak (for an up one: its first good fetch since).
     * {@code mackerelKey} is the key segment of its Mackerel metric names ("" when the Mackerel sink is off).
     */
    public record TargetRow(String id, String address, String path, int containerPort, String container,
            String cluster, String taskArn, String taskId, String family, String revision, String ecsContainer,
            String group, String mackerelKey, String state, String failure, String detail, Instant since,
            Instant fetchedAt, long tookMs, Map<String, Long> failures) {
    }

    /** Null members: that sink is off. */
    public record Sinks(MackerelSink.Status mackerel, Prometheus prometheus) {
    }

    public record Prometheus(int series) {
    }
}
