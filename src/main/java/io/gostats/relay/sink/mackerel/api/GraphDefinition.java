package io.gostats.relay.sink.mackerel.api;

import java.util.List;

/** A body element of {@code POST /api/v0/graph-defs/create}. */
public record GraphDefinition(String name, String displayName, String unit, List<Metric> metrics) {

    public record Metric(String name, String displayName, boolean isStacked) {
    }
}
