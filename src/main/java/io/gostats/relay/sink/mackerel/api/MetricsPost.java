package io.gostats.relay.sink.mackerel.api;

/**
 * What {@link MackerelClient#postMetrics} did: how many values it sent, how many NaN or infinite values it dropped
 * (strict JSON cannot carry them; mackerel-agent drops them too), and how Mackerel answered.
 */
public record MetricsPost(int sent, int dropped, PostOutcome<Void> outcome) {
}
