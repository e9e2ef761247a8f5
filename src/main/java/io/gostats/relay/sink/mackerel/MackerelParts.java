package io.gostats.relay.sink.mackerel;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.gostats.relay.config.ConfigProperty;
import io.gostats.relay.sink.mackerel.api.Dashboard;
import io.gostats.relay.sink.mackerel.api.GraphDefinition;
import io.gostats.relay.sink.mackerel.api.HostRegistration;
import io.gostats.relay.sink.mackerel.api.MackerelClient;
import io.gostats.relay.sink.mackerel.delivery.DeliveryPacer;
import io.gostats.relay.sink.mackerel.delivery.DeliveryQueue;
import io.gostats.relay.sink.mackerel.delivery.MackerelPoster;
import io.gostats.relay.sink.mackerel.delivery.RetryPolicy;
import io.gostats.relay.sink.mackerel.graphs.ContainerGraph;
import io.gostats.relay.sink.mackerel.graphs.GostatsDashboard;
import io.gostats.relay.sink.mackerel.graphs.GraphSets;
import io.gostats.relay.sink.mackerel.host.HostIdSource;
import io.gostats.relay.sink.mackerel.host.HostRegistrar;
import io.gostats.relay.sink.mackerel.keys.TaskKeys;
import io.gostats.relay.sink.mackerel.points.MackerelBatches;

/**
 * The Mackerel sink's collaborators, wired from its checked configuration: minute batches, the on-disk queue, the
 * API client, host identity and the poster. Building them does file I/O (the queue directory) and no network I/O.
 */
record MackerelParts(MackerelBatches batches, DeliveryQueue queue, MackerelClient client, MackerelPoster poster,
        HostIdSource hostIds, Optional<HostRegistrar> registrar, Optional<Dashboard> dashboard, boolean autoRetire) {

    /** Each Mackerel call's own bound, as the official Go client's. */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    /** {@code containerGraphs}: whether container figures are collected, so their graphs are posted. */
    static MackerelParts build(MackerelConfig m, String apiKey, boolean containerGraphs) {
        String prefix = m.prefix();
        Path state = m.stateDir();
        Clock clock = Clock.systemUTC();
        TaskKeys keys = ConfigProperty.parse("relay.mackerel.key", () -> new TaskKeys(m.key().orElse(null)));
        MackerelBatches batches = new MackerelBatches(prefix, m.gostatsCompat(), keys, m.maxTasks());
        DeliveryQueue queue = ConfigProperty.parse("relay.mackerel.state-dir", () -> new DeliveryQueue(
                state.resolve("queue"), m.queueCapacity(), clock, RetryPolicy.DEFAULT));
        MackerelClient client = new MackerelClient(MackerelChecks.apiBase(m), apiKey, CALL_TIMEOUT);
        Optional<HostRegistrar> registrar = Optional.empty();
        if (m.registerHost()) {
            String identifier = MackerelChecks.customIdentifier(m).orElseThrow();
            registrar = Optional.of(new HostRegistrar(client, state,
                    HostRegistration.of(identifier, identifier, m.roles().orElse(List.of())), CALL_TIMEOUT));
        }
        HostIdSource hostIds = new HostIdSource(m.hostId(), m.hostIdFile(), registrar, client, CALL_TIMEOUT);
        MackerelPoster poster = new MackerelPoster(client, queue,
                new DeliveryPacer(clock, m.minRequestInterval(), DeliveryPacer.DEFAULT_PAUSE_AFTER_FAILURE),
                hostIds::current, graphs(prefix, containerGraphs), m.graphDefsEvery(),
                (int) m.maxRequestSize().asLongValue(), CALL_TIMEOUT, clock);
        poster.onHostRejected(hostIds::rejected);
        Optional<Dashboard> dashboard = MackerelChecks.dashboardRole(m)
                .map(role -> GostatsDashboard.of(role, prefix));
        return new MackerelParts(batches, queue, client, poster, hostIds, registrar, dashboard, m.autoRetire());
    }

    private static List<GraphDefinition> graphs(String prefix, boolean containerGraphs) {
        List<GraphDefinition> graphs = new ArrayList<>(GraphSets.gostatsWildcard(prefix));
        graphs.addAll(GraphSets.processWildcard(prefix));
        graphs.addAll(GraphSets.gostatsHostSums(prefix));
        if (containerGraphs) {
            graphs.addAll(ContainerGraph.definitions(prefix));
            graphs.addAll(GraphSets.containerHostSums(prefix));
        }
        return List.copyOf(graphs);
    }
}
