package io.gostats.relay.sink.mackerel.api;

/** One host metric value, a body element of {@code POST /api/v0/tsdb}; {@code time} is in Unix seconds. */
public record MetricValue(String hostId, String name, long time, double value) {
}
