package io.gostats.relay.sink.mackerel.delivery;

import io.quarkus.runtime.annotations.RegisterForReflection;

import io.gostats.relay.sink.mackerel.api.MetricValue;

import java.util.List;

/**
 * One minute's values, as the delivery queue keeps them on disk (one file each). Delivery state (attempts, next
 * attempt, how much was sent) lives in the queue's memory, so a batch file is written once and never rewritten.
 */
@RegisterForReflection
public record Batch(long sequence, long minute, List<MetricValue> values) {

    public Batch {
        values = List.copyOf(values);
    }
}
