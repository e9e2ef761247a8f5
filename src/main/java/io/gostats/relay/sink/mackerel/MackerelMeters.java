package io.gostats.relay.sink.mackerel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.gostats.relay.sink.mackerel.cost.HostMetricBudget;
import io.gostats.relay.sink.mackerel.delivery.DeliveryQueue;
import io.gostats.relay.sink.mackerel.delivery.DropReason;
import io.gostats.relay.sink.mackerel.delivery.MackerelPoster;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The sink's own meters: the queue, what was dropped and why, the API calls by outcome, and the metrics posted to
 * the host per minute against their budget. Never the API key.
 */
final class MackerelMeters {

    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();

    MackerelMeters(MeterRegistry registry, DeliveryQueue queue, MackerelPoster poster, HostMetricBudget cost) {
        this.registry = registry;
        meters.add(Gauge.builder("relay.mackerel.queue.batches", queue, DeliveryQueue::size)
                .description("Minute batches waiting to be posted to Mackerel.").register(registry));
        meters.add(Gauge.builder("relay.mackerel.queue.points", queue, DeliveryQueue::pendingPoints)
                .description("Values waiting to be posted to Mackerel.").register(registry));
        for (DropReason r : DropReason.values()) {
            meters.add(FunctionCounter.builder("relay.mackerel.dropped.points", queue, q -> q.droppedPoints(r))
                    .description("Values never posted to Mackerel, by reason.")
                    .tag("reason", r.name().toLowerCase(Locale.ROOT)).register(registry));
        }
        meters.add(Gauge.builder("relay.mackerel.host.metrics", cost,
                c -> c.last().map(m -> (double) m.metrics()).orElse(Double.NaN))
                .description("Distinct metrics the relay posted to its Mackerel host in the last minute.")
                .register(registry));
        meters.add(Gauge.builder("relay.mackerel.host.metric.budget", cost, HostMetricBudget::budget)
                .description("relay.mackerel.host-metric-allowance less relay.mackerel.host-metric-reserve.")
                .register(registry));
        poster.onOutcome(this::countCall);
    }

    private void countCall(String outcome) {
        Counter c = Counter.builder("relay.mackerel.posts").description("Calls to the Mackerel API, by outcome.")
                .tag("outcome", outcome).register(registry);
        synchronized (meters) {
            if (!meters.contains(c)) {
                meters.add(c);
            }
        }
        c.increment();
    }

    void remove() {
        synchronized (meters) {
            meters.forEach(registry::remove);
        }
    }
}
