package io.gostats.relay.web;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.gostats.relay.config.RelayConfig;
import io.gostats.relay.model.LatestSnapshot;
import io.gostats.relay.model.Snapshot;
import io.gostats.relay.model.TargetReport;
import io.gostats.relay.model.TaskIdentity;
import io.gostats.relay.sink.SinkDispatcher;
import io.gostats.relay.sink.SinkStatus;

/** Builds the targets page's view from the latest snapshot and the sinks' statuses. */
@ApplicationScoped
public class TargetsPage {

    private final LatestSnapshot latest;
    private final SinkDispatcher sinks;
    private final long intervalSeconds;
    private final Clock clock = Clock.systemUTC();

    public TargetsPage(LatestSnapshot latest, SinkDispatcher sinks, RelayConfig config) {
        this.latest = latest;
        this.sinks = sinks;
        this.intervalSeconds = config.interval().toSeconds();
    }

    public TargetsView view() {
        Snapshot last = latest.get();
        Map<String, SinkStatus> statuses = sinks.statuses();
        Map<String, TargetsView.Sink> sinkViews = new LinkedHashMap<>();
        statuses.forEach((name, s) -> sinkViews.put(name, new TargetsView.Sink(s.up(), s.state(), s.details())));
        return new TargetsView(clock.instant(), intervalSeconds,
                new TargetsView.Cycle(last.sequence(), last.sequence() == 0 ? null : last.cycleTime(),
                        last.duration().toMillis(), last.targets().size(), last.upCount()),
                last.targets().stream().map(t -> row(t, namesOf(t.target().id(), statuses))).toList(),
                last.discovery(), sinkViews);
    }

    private static Map<String, String> namesOf(String targetId, Map<String, SinkStatus> statuses) {
        Map<String, String> names = new TreeMap<>();
        statuses.forEach((sink, s) -> {
            String name = s.targetNames().get(targetId);
            if (name != null) {
                names.put(sink, name);
            }
        });
        return names;
    }

    static TargetsView.TargetRow row(TargetReport r, Map<String, String> names) {
        TaskIdentity id = r.target().identity();
        return new TargetsView.TargetRow(r.target().id(), r.target().address(), r.target().path(), r.format(),
                r.target().containerPort(), id.containerName(), id.cluster(), id.taskArn(), id.taskId(), id.family(),
                id.revision(), id.ecsContainer(), id.group(), names, r.up() ? "up" : "down",
                r.failure().map(f -> f.label()).orElse(""), r.detail(), r.since(), r.fetchedAt(), r.took().toMillis(),
                new TreeMap<>(r.failures().entrySet().stream()
                        .collect(Collectors.toMap(e -> e.getKey().label(), Map.Entry::getValue))));
    }
}
