package io.gostats.relay.sink.mackerel.delivery;

import java.util.List;

import io.gostats.relay.sink.mackerel.api.MetricValue;

/**
 * One request's worth of values from {@link DeliveryQueue#nextRequest}, to be posted as one body and then handed
 * back to {@link DeliveryQueue#acknowledge} or {@link DeliveryQueue#failed}.
 *
 * @param values    the body of {@code POST /api/v0/tsdb}, in queue order
 * @param bodyBytes the size of {@code values} serialized as a compact JSON array
 * @param slices    the ranges of queued batches this request covers
 * @param tooOld    values inside those ranges left out for being older than 24 h; dropped when the ranges are
 */
public record Delivery(List<MetricValue> values, int bodyBytes, List<Slice> slices, int tooOld) {

    /** Values {@code [from, to)} of batch {@code sequence}. */
    public record Slice(long sequence, int from, int to) {
    }
}
