package io.gostats.relay.sink.mackerel.annotations;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.gostats.relay.model.Snapshot;
import io.gostats.relay.model.Target;
import io.gostats.relay.model.TargetReport;
import io.gostats.relay.model.TaskIdentity;

/** Snapshots of ECS tasks as discovery labels them, for the deploy tests: only family, revision and cluster count. */
public final class EcsSnapshots {

    public static final long T0 = 1795530600L;

    private EcsSnapshots() {
    }

    /** A running task of {@code family} at {@code revision} (its fetch need not have worked). */
    public static TargetReport task(String containerId, String family, String revision, String cluster) {
        Map<String, String> labels = Map.of("com.amazonaws.ecs.task-definition-family", family,
                "com.amazonaws.ecs.task-definition-version", revision, "com.amazonaws.ecs.cluster", cluster,
                "com.amazonaws.ecs.task-arn", "arn:aws:ecs:eu-west-1:123456789012:task/" + cluster + "/" + containerId);
        Target t = new Target(containerId + ":8080", "127.0.0.1", 32768, "/stats", 8080,
                TaskIdentity.of(containerId, "ecs-" + family + "-" + revision, labels));
        return new TargetReport(t, 1, false, Optional.empty(), "", Instant.EPOCH, Instant.EPOCH, Duration.ZERO,
                Optional.empty(), Map.of());
    }

    public static Snapshot at(long epochSecond, TargetReport... tasks) {
        return new Snapshot(1, Instant.ofEpochSecond(epochSecond), Duration.ZERO, List.of(tasks), List.of());
    }
}
