package io.gostats.relay.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

import io.gostats.relay.Relay;
import io.gostats.relay.derive.Snapshot;
import io.gostats.relay.discovery.Discovery;
import io.gostats.relay.discovery.SourceStatus;
import io.gostats.relay.sink.SinkDispatcher;

/**
 * Liveness: the process works. Readiness: up after the first cycle. Discovery and the last cycle are shown in the
 * data of both, but a Docker outage changes neither: ECS would kill and restart the relay for nothing.
 */
public class RelayHealth {

    @ApplicationScoped
    @Liveness
    public static class Live implements HealthCheck {
        private final Discovery discovery;

        public Live(Discovery discovery) {
            this.discovery = discovery;
        }

        @Override
        public HealthCheckResponse call() {
            return withDiscovery(HealthCheckResponse.named("relay").up(), discovery).build();
        }
    }

    @ApplicationScoped
    @Readiness
    public static class Ready implements HealthCheck {
        private final Relay relay;
        private final Discovery discovery;
        private final SinkDispatcher sinks;

        public Ready(Relay relay, Discovery discovery, SinkDispatcher sinks) {
            this.relay = relay;
            this.discovery = discovery;
            this.sinks = sinks;
        }

        @Override
        public HealthCheckResponse call() {
            Snapshot last = relay.last();
            HealthCheckResponseBuilder b = HealthCheckResponse.named("relay-cycle").status(last.sequence() > 0);
            if (last.sequence() > 0) {
                b.withData("last-cycle", last.cycleTime().toString())
                        .withData("last-cycle-ms", last.duration().toMillis())
                        .withData("targets", last.targets().size())
                        .withData("targets-up", last.upCount());
            } else {
                b.withData("last-cycle", "none yet");
            }
            sinks.states().forEach((name, state) -> b.withData("sink " + name, state));
            return withDiscovery(b, discovery).build();
        }
    }

    static HealthCheckResponseBuilder withDiscovery(HealthCheckResponseBuilder b, Discovery discovery) {
        for (SourceStatus s : discovery.statuses()) {
            b.withData("discovery " + s.source(), s.up() ? "up since " + s.since() : "down since " + s.since()
                    + ": " + s.error());
        }
        return b;
    }
}
