package io.gostats.relay.page;

import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.gostats.relay.Relay;
import io.gostats.relay.RelayConfig;
import io.gostats.relay.derive.Snapshot;
import io.gostats.relay.derive.TargetReport;
import io.gostats.relay.discovery.Discovery;
import io.gostats.relay.discovery.TaskIdentity;
import io.gostats.relay.sink.mackerel.MackerelSink;
import io.gostats.relay.sink.prometheus.PrometheusSink;

/** Builds the targets page's view from the last snapshot, the discovery sources and the sinks. */
@ApplicationScoped
public class TargetsPage {

    private final Relay relay;
    private final Discovery discovery;
    private final MackerelSink mackerel;
    private final PrometheusSink prometheus;
    private final long intervalSeconds;
    private final Clock clock = Clock.systemUTC();

    public TargetsPage(Relay relay, Discovery discovery, MackerelSink mackerel, PrometheusSink prometheus,
            RelayConfig config) {
        this.relay = relay;
        this.discovery = discovery;
        this.mackerel = mackerel;
        this.prometheus = prometheus;
        this.intervalSeconds = config.interval().toSeconds();
    }

    public TargetsView view() {
        Snapshot last = relay.last();
        Map<String, String> keys = mackerel.keys();
        return new TargetsView(clock.instant(), intervalSeconds,
                new TargetsView.Cycle(last.sequence(), last.sequence() == 0 ? null : last.cycleTime(),
                        last.duration().toMillis(), last.targets().size(), last.upCount()),
                last.targets().stream().map(t -> row(t, keys.getOrDefault(t.target().id(), ""))).toList(),
                discovery.statuses(),
                new TargetsView.Sinks(mackerel.status().orElse(null),
                        prometheus.enabled() ? new TargetsView.Prometheus(prometheus.seriesCount()) : null));
    }

    static TargetsView.TargetRow row(TargetReport r, String mackerelKey) {
        TaskIdentity id = r.target().identity();
        return new TargetsView.TargetRow(r.target().id(), r.target().address(), r.target().path(),
                r.target().containerPort(), id.containerName(), id.cluster(), id.taskArn(), id.taskId(), id.family(),
                id.revision(), id.ecsContainer(), id.group(), mackerelKey, r.up() ? "up" : "down",
                r.failure().map(f -> f.label()).orElse(""), r.detail(), r.since(), r.fetchedAt(), r.took().toMillis(),
                new TreeMap<>(r.failures().entrySet().stream()
                        .collect(Collectors.toMap(e -> e.getKey().label(), Map.Entry::getValue))));
    }
}
