package io.gostats.relay.sink.mackerel.delivery;

import java.util.List;

import io.gostats.relay.sink.mackerel.api.MetricValue;
import io.quarkus.runtime.annotations.RegisterForReflection;

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
