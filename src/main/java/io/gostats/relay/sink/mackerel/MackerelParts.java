package io.gostats.relay.sink.mackerel;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

import io.gostats.relay.config.ConfigProperty;
import io.gostats.relay.instance.InstanceIdentity;
import io.gostats.relay.sink.mackerel.annotations.DeployAnnotator;
import io.gostats.relay.sink.mackerel.annotations.RevisionHistory;
import io.gostats.relay.sink.mackerel.api.Dashboard;
import io.gostats.relay.sink.mackerel.api.MackerelClient;
import io.gostats.relay.sink.mackerel.cost.HostMetricBudget;
import io.gostats.relay.sink.mackerel.delivery.DeliveryPacer;
import io.gostats.relay.sink.mackerel.delivery.DeliveryQueue;
import io.gostats.relay.sink.mackerel.delivery.MackerelPoster;
import io.gostats.relay.sink.mackerel.delivery.RetryPolicy;
import io.gostats.relay.sink.mackerel.graphs.GostatsDashboard;
import io.gostats.relay.sink.mackerel.graphs.GraphGroup;
import io.gostats.relay.sink.mackerel.host.HostIdSource;
import io.gostats.relay.sink.mackerel.host.HostIdentifier;
import io.gostats.relay.sink.mackerel.host.HostRegistrar;
import io.gostats.relay.sink.mackerel.keys.TaskKeys;
import io.gostats.relay.sink.mackerel.points.MackerelBatches;

/**
 * The Mackerel sink's collaborators, wired from its checked configuration: minute batches, the on-disk queue, the
 * API client, host identity and the poster. Building them does file I/O (the queue directory) and no network I/O.
 */
record MackerelParts(MackerelBatches batches, DeliveryQueue queue, MackerelClient client, MackerelPoster poster,
        HostIdSource hostIds, Optional<HostRegistrar> registrar, Optional<Dashboard> dashboard, boolean autoRetire,
        HostMetricBudget cost, Optional<DeployAnnotator> annotator) {

    /** Each Mackerel call's own bound, as the official Go client's. */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    /**
     * {@code containerGraphs}: whether container figures are collected, so their graphs are posted; {@code instance}:
     * the relay's instance, whose EC2 id names a host of the relay's own when no customIdentifier is set.
     */
    static MackerelParts build(MackerelConfig m, String apiKey, boolean containerGraphs, InstanceIdentity instance) {
        String prefix = m.prefix();
        Path state = m.stateDir();
        Clock clock = Clock.systemUTC();
        TaskKeys keys = ConfigProperty.parse("relay.mackerel.key", () -> new TaskKeys(m.key().orElse(null)));
        Set<GraphGroup> groups = MackerelChecks.graphGroups(m);
        MackerelBatches batches = new MackerelBatches(prefix, m.gostatsCompat(), keys, m.maxTasks(), groups);
        DeliveryQueue queue = ConfigProperty.parse("relay.mackerel.state-dir", () -> new DeliveryQueue(
                state.resolve("queue"), m.queueCapacity(), clock, RetryPolicy.DEFAULT));
        MackerelClient client = new MackerelClient(MackerelChecks.apiBase(m), apiKey, CALL_TIMEOUT);
        Optional<HostRegistrar> registrar = Optional.empty();
        if (m.registerHost()) {
            HostIdentifier identifier = new HostIdentifier(MackerelChecks.customIdentifier(m), instance::current);
            registrar = Optional.of(new HostRegistrar(client, state, identifier, m.roles().orElse(List.of()),
                    CALL_TIMEOUT));
        }
        HostIdSource hostIds = new HostIdSource(m.hostId(), m.hostIdFile(), registrar, client, CALL_TIMEOUT);
        MackerelPoster poster = new MackerelPoster(client, queue,
                new DeliveryPacer(clock, m.minRequestInterval(), DeliveryPacer.DEFAULT_PAUSE_AFTER_FAILURE),
                hostIds::current, GraphGroup.definitions(prefix, groups, containerGraphs), m.graphDefsEvery(),
                (int) m.maxRequestSize().asLongValue(), CALL_TIMEOUT, clock);
        poster.onHostRejected(hostIds::rejected);
        Optional<Dashboard> dashboard = MackerelChecks.dashboardRole(m)
                .map(role -> GostatsDashboard.of(role, prefix));
        Optional<DeployAnnotator> annotator = MackerelChecks.annotationsService(m).map(service -> new DeployAnnotator(
                client, service, m.annotations().roles().orElse(List.of()).stream().map(String::strip).toList(),
                m.annotations().maxWait(), CALL_TIMEOUT, new RevisionHistory(state), new SplittableRandom()));
        return new MackerelParts(batches, queue, client, poster, hostIds, registrar, dashboard, m.autoRetire(),
                new HostMetricBudget(m.hostMetricAllowance(), m.hostMetricReserve()), annotator);
    }
}
