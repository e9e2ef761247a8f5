package io.gostats.relay.sink.prometheus;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The Prometheus sink's properties, under {@code relay.prometheus.}. README.md has the table. */
@ConfigMapping(prefix = "relay.prometheus")
public interface PrometheusConfig {

    /**
     * Which labels name a task's series: {@code task} (every label, a redeployed task starts new series) or
     * {@code slot} (only those a redeploy keeps, the slot telling the tasks apart). See {@link SeriesLabels}.
     */
    @WithDefault("task")
    String series();
}
