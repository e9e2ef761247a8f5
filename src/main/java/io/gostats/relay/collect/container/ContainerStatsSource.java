package io.gostats.relay.collect.container;

import io.gostats.relay.model.container.ContainerStats;

/** Where a container's stats come from: one blocking read (the Docker Engine API, or a fake in tests). */
@FunctionalInterface
public interface ContainerStatsSource {

    /** @throws Exception when there is no read: the container is gone or stopped, the engine fails or is slow */
    ContainerStats read(String containerId) throws Exception;
}
