package io.gostats.relay.model.container;

/** The outcome of one container's stats read: stats, or why there are none. */
public sealed interface ContainerRead {

    String containerId();

    record Read(String containerId, ContainerStats stats) implements ContainerRead {
    }

    record Failed(String containerId, String detail) implements ContainerRead {
    }
}
