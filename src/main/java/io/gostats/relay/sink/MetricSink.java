package io.gostats.relay.sink;

import io.gostats.relay.derive.Snapshot;

/**
 * Where a cycle's snapshot goes. Each sink runs on its own thread and gets every snapshot (or, when it falls behind,
 * the newest one): a slow sink never holds collection or the other sinks. Adding a sink is one new bean.
 */
public interface MetricSink {

    String name();

    void accept(Snapshot snapshot);

    /** A sink can be configured off; then it gets no snapshots. */
    default boolean enabled() {
        return true;
    }

    /** One line on how the sink is doing, for health and the targets page. */
    default String state() {
        return "ok";
    }
}
