package io.gostats.relay.sink.mackerel;

public record MetricValue(String hostId, String name, long time, double value) {
}
