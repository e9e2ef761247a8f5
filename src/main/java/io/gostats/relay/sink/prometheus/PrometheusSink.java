package io.gostats.relay.sink.prometheus;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.gostats.relay.config.ConfigProperty;
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
    private final SnapshotCollector collector;

    public PrometheusSink(PrometheusMeterRegistry registry, PrometheusConfig config) {
        this.registry = registry;
        this.collector = new SnapshotCollector(ConfigProperty.parse(SeriesLabels.PROPERTY,
                () -> SeriesLabels.parse(config.series())));
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
        int collided = collector.collided();
        String state = series + " series on /q/metrics" + (collided == 0 ? ""
                : "; " + collided + " targets with the task labels: their " + SeriesLabels.PROPERTY
                        + "=slot labels collide (the log says which)");
        return SinkStatus.up(name(), state, java.util.Map.of("series", series, "slotCollisions", collided));
    }

    @Override
    public void accept(Snapshot snapshot) {
        collector.update(snapshot);
    }
}
