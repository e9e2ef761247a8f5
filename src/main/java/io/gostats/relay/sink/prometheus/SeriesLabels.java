package io.gostats.relay.sink.prometheus;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import io.gostats.relay.model.Target;
import io.gostats.relay.model.TaskIdentity;

/**
 * {@code relay.prometheus.series}: the labels of every per-task series. {@code task}: everything known of the task,
 * so each deploy starts new series. {@code slot}: only what a redeploy keeps (the container port, the family, the ECS
 * container name, the cluster) and the slot, so a task that replaces another continues its series. Both carry the
 * slot. In {@code slot}, {@code task_family} of a container ECS did not start is its {@code gostats.group} label:
 * the family its slot counts in, when that is not a container name (a container name changes with a deploy).
 */
enum SeriesLabels {
    TASK("target", "port", "container", "task_id", "task_family", "task_revision", "ecs_container", "cluster",
            "slot"),
    SLOT("port", "task_family", "ecs_container", "cluster", "slot");

    static final String PROPERTY = "relay.prometheus.series";

    final List<String> names;

    SeriesLabels(String... names) {
        this.names = List.of(names);
    }

    /** @throws IllegalArgumentException naming the property for anything but {@code task} or {@code slot} */
    static SeriesLabels parse(String value) {
        String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(s -> s.name().toLowerCase(Locale.ROOT).equals(v)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(PROPERTY + ": '" + value
                        + "' is neither task nor slot"));
    }

    /** The label values of a target holding {@code slot}, in the order of {@link #names}. */
    List<String> values(Target t, int slot) {
        TaskIdentity id = t.identity();
        String port = Integer.toString(t.containerPort());
        return switch (this) {
            case TASK -> List.of(t.address(), port, id.containerName(), id.taskId(), id.family(), id.revision(),
                    id.ecsContainer(), id.cluster(), Integer.toString(slot));
            case SLOT -> List.of(port, id.family().isEmpty() ? id.group() : id.family(), id.ecsContainer(),
                    id.cluster(), Integer.toString(slot));
        };
    }
}
