package io.gostats.relay.sink.mackerel.keys;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import io.gostats.relay.model.Target;
import io.gostats.relay.model.TargetReport;
import io.gostats.relay.model.TaskIdentity;

/** Targets as discovery makes them, for the key tests. */
public final class Targets {

    public static final String ECS_FAMILY = "com.amazonaws.ecs.task-definition-family";
    public static final String ECS_TASK_ARN = "com.amazonaws.ecs.task-arn";
    public static final String ECS_CONTAINER = "com.amazonaws.ecs.container-name";

    private Targets() {
    }

    /** A bridge container of an ECS task {@code taskId} of {@code family}, its container port published on hostPort. */
    public static Target ecs(String containerId, String family, String taskId, int containerPort, int hostPort) {
        return of(containerId, "ecs-" + family + "-7-" + family + "-e4f1a2b3c4d5e6f7a8b9", Map.of(ECS_FAMILY, family,
                ECS_TASK_ARN, "arn:aws:ecs:eu-west-1:123456789012:task/demo/" + taskId, ECS_CONTAINER, family),
                containerPort, hostPort);
    }

    public static Target of(String containerId, String name, Map<String, String> labels, int containerPort,
            int hostPort) {
        return new Target(containerId + ":" + containerPort, "127.0.0.1", hostPort, "/stats", containerPort,
                TaskIdentity.of(containerId, name, labels));
    }

    /** A target that is down in a cycle, holding {@code slot}: all the keys need. */
    public static TargetReport slotted(Target t, int slot) {
        return new TargetReport(t, slot, false, Optional.empty(), "", Instant.EPOCH, Instant.EPOCH, Duration.ZERO,
                Optional.empty(), Map.of());
    }
}
