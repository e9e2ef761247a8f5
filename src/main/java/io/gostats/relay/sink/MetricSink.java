package io.gostats.relay.sink;

import java.time.Duration;

import io.gostats.relay.model.Snapshot;

/**
 * Where a cycle's snapshot goes: a sink is one CDI bean in a folder of its own, found by {@link SinkDispatcher}
 * with no other code naming it. Each enabled sink runs on its own thread (its lane) and gets every snapshot (or,
 * when it falls behind, the newest one): a slow sink never holds collection or the other sinks.
 * <p>
 * The contract: the constructor checks the sink's own configuration (a bad property stops start-up, named) and does
 * no network I/O; {@link #start()} runs on the lane before the first snapshot and does whatever start-up work needs
 * the network, reporting a failure through {@link #status()} rather than throwing; {@link #stop(Duration)} flushes
 * within the given share of the relay's shutdown budget. The {@code plugin} and {@code once} commands never start
 * sinks.
 */
public interface MetricSink {

    String name();

    void accept(Snapshot snapshot);

    /** A sink can be configured off; then it is never started and gets no snapshots. */
    default boolean enabled() {
        return true;
    }

    /** Start-up work that needs the network; runs on the sink's lane before its first snapshot. */
    default void start() {
    }

    /** Delivers what it still can within {@code budget}; runs on the shutdown thread after the lane stopped. */
    default void stop(Duration budget) {
    }

    /** How the sink is doing: cheap, safe from any thread, rendered by health and the targets page. */
    SinkStatus status();
}
