package io.gostats.relay.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

import io.gostats.relay.model.Snapshot;
import io.gostats.relay.model.LatestSnapshot;
import io.gostats.relay.model.SourceStatus;
import io.gostats.relay.sink.SinkDispatcher;

/**
 * Liveness: the process works. Readiness: up after the first cycle. Discovery and the last cycle are shown in the
 * data of both, but a Docker outage changes neither: ECS would kill and restart the relay for nothing.
 */
public class RelayHealth {

    @ApplicationScoped
    @Liveness
    public static class Live implements HealthCheck {
        private final LatestSnapshot latest;

        public Live(LatestSnapshot latest) {
            this.latest = latest;
        }

        @Override
        public HealthCheckResponse call() {
            return withDiscovery(HealthCheckResponse.named("relay").up(), latest.get()).build();
        }
    }

    @ApplicationScoped
    @Readiness
    public static class Ready implements HealthCheck {
        private final LatestSnapshot latest;
        private final SinkDispatcher sinks;

        public Ready(LatestSnapshot latest, SinkDispatcher sinks) {
            this.latest = latest;
            this.sinks = sinks;
        }

        @Override
        public HealthCheckResponse call() {
            Snapshot last = latest.get();
            HealthCheckResponseBuilder b = HealthCheckResponse.named("relay-cycle").status(last.sequence() > 0);
            if (last.sequence() > 0) {
                b.withData("last-cycle", last.cycleTime().toString())
                        .withData("last-cycle-ms", last.duration().toMillis())
                        .withData("targets", last.targets().size())
                        .withData("targets-up", last.upCount());
            } else {
                b.withData("last-cycle", "none yet");
            }
            sinks.statuses().forEach((name, s) -> b.withData("sink " + name, (s.up() ? "" : "DOWN: ") + s.state()));
            return withDiscovery(b, last).build();
        }
    }

    /** The target sources as the last cycle saw them (none before the first cycle). */
    static HealthCheckResponseBuilder withDiscovery(HealthCheckResponseBuilder b, Snapshot last) {
        for (SourceStatus s : last.discovery()) {
            b.withData("discovery " + s.source(), s.up() ? "up since " + s.since() : "down since " + s.since()
                    + ": " + s.error());
        }
        return b;
    }
}
