package io.gostats.relay.sink.prometheus;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.gostats.relay.model.Snapshot;
import io.gostats.relay.sink.MetricSink;
import io.gostats.relay.sink.SinkStatus;
import io.micrometer.prometheus.PrometheusMeterRegistry;

/**
 * Exposes the per-task series on /q/metrics, beside the relay's own Micrometer meters, by registering a collector
 * with the Prometheus registry behind Micrometer. Unregistered on shutdown: Quarkus keeps that registry across
 * restarts in tests.
 */
@ApplicationScoped
public class PrometheusSink implements MetricSink {

    private final PrometheusMeterRegistry registry;
    private final SnapshotCollector collector = new SnapshotCollector();

    public PrometheusSink(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    @PostConstruct
    void register() {
        registry.getPrometheusRegistry().register(collector);
    }

    @PreDestroy
    void unregister() {
        registry.getPrometheusRegistry().unregister(collector);
    }

    @Override
    public String name() {
        return "prometheus";
    }

    /** Per-task series a scrape shows now. */
    public int seriesCount() {
        return collector.collect().stream().mapToInt(f -> f.samples.size()).sum();
    }

    @Override
    public SinkStatus status() {
        int series = seriesCount();
        return SinkStatus.up(name(), series + " series on /q/metrics", java.util.Map.of("series", series));
    }

    @Override
    public void accept(Snapshot snapshot) {
        collector.update(snapshot);
    }
}
