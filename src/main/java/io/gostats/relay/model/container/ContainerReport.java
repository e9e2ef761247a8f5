package io.gostats.relay.model.container;

import io.gostats.relay.model.Target;


/**
 * A watched container in one cycle, with its figures. {@code target} is the container's first target (by id): its
 * labels and Mackerel key name the container's series, so that they line up with the task's gostats series;
 * {@code slot} is that target's slot.
 */
public record ContainerReport(Target target, int slot, ContainerMetrics metrics) {
}
