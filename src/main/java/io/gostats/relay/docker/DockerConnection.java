package io.gostats.relay.docker;

import java.util.Optional;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.gostats.relay.config.ConfigProperty;
import io.gostats.relay.config.RelayConfig;

/**
 * The relay's Docker Engine, when Docker discovery is on: one owner of the endpoint and its clients, used by
 * discovery (list, inspect, events) and by container stats (one stats read per container). Closed once, here.
 */
@ApplicationScoped
public class DockerConnection {

    /** Stats reads in flight at once, at most: each blocks a worker thread. */
    public static final int MAX_STATS_READS = 8;

    private final Optional<DockerEngine> engine;

    public DockerConnection(RelayConfig config) {
        RelayConfig.Docker dc = config.discovery().docker();
        if (!dc.enabled()) {
            engine = Optional.empty();
            return;
        }
        ConfigProperty.positive("relay.discovery.docker.timeout", dc.timeout());
        String host = ConfigProperty.parse("relay.discovery.docker.host",
                () -> DockerEngine.resolveHost(dc.host(), System.getenv("DOCKER_HOST")));
        engine = Optional.of(new DockerEngine(host, dc.timeout(),
                Math.min(MAX_STATS_READS, Math.max(1, config.collect().concurrency()))));
    }

    /** Empty when Docker discovery is off. */
    public Optional<DockerEngine> engine() {
        return engine;
    }

    @PreDestroy
    void close() {
        engine.ifPresent(DockerEngine::close);
    }
}
