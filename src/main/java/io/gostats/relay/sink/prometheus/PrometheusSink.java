package io.gostats.relay.sink.prometheus;

import jakarta.enterprise.context.ApplicationScoped;

import io.gostats.relay.config.ConfigProperty;
import io.gostats.relay.model.Snapshot;
import io.gostats.relay.sink.MetricSink;
import io.gostats.relay.sink.SinkStatus;

/**
 * Keeps the latest snapshot for {@link MetricsEndpoint}, which serves its per-task series on /q/metrics after the
 * relay's own Micrometer meters. The series are not meters: nothing is registered, so nothing outlives the sink.
 */
@ApplicationScoped
public class PrometheusSink implements MetricSink {

    private final SnapshotExposition exposition;

    public PrometheusSink(PrometheusConfig config) {
        this.exposition = new SnapshotExposition(ConfigProperty.parse(SeriesLabels.PROPERTY,
                () -> SeriesLabels.parse(config.series())));
    }

    @Override
    public String name() {
        return "prometheus";
    }

    /** Per-task series a scrape shows now. */
    public int seriesCount() {
        return exposition.samples();
    }

    /** The per-task families of the latest snapshot, in OpenMetrics text or else the text format 0.0.4. */
    SnapshotExposition.Text text(boolean openMetrics) {
        return exposition.text(openMetrics);
    }

    @Override
    public SinkStatus status() {
        int series = seriesCount();
        int collided = exposition.collided();
        String state = series + " series on /q/metrics" + (collided == 0 ? ""
                : "; " + collided + " targets with the task labels: their " + SeriesLabels.PROPERTY
                        + "=slot labels collide (the log says which)");
        return SinkStatus.up(name(), state, java.util.Map.of("series", series, "slotCollisions", collided));
    }

    @Override
    public void accept(Snapshot snapshot) {
        exposition.update(snapshot);
    }
}
