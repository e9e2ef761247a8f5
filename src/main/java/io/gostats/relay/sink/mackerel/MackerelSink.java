package io.gostats.relay.sink.mackerel;

import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.gostats.relay.config.ConfigProperty;
import io.gostats.relay.config.RelayConfig;
import io.gostats.relay.model.Snapshot;
import io.gostats.relay.sink.MetricSink;
import io.gostats.relay.sink.SinkStatus;
import io.gostats.relay.util.DaemonThreads;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Posts every task's 15 gostats metrics and the host's sums to Mackerel as host custom metrics: each cycle's
 * snapshot becomes (once a minute) a batch in the on-disk queue; a sender thread posts the queue as mackerel-agent
 * would. On when an API key is given ({@code relay.mackerel.enabled} overrides).
 */
@ApplicationScoped
public class MackerelSink implements MetricSink {

    private static final Logger LOG = Logger.getLogger(MackerelSink.class);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration FLUSH_BOUND = Duration.ofSeconds(10);

    private final boolean enabled;
    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();
    private MackerelBatches batches;
    private DeliveryQueue queue;
    private MackerelClient client;
    private MackerelPoster poster;
    private ScheduledExecutorService sender;
    private Optional<HostRegistrar> registrar = Optional.empty();
    private boolean autoRetire;
    private Optional<Dashboard> dashboard = Optional.empty();

    public MackerelSink(RelayConfig config, MeterRegistry registry) {
        this.registry = registry;
        RelayConfig.Mackerel m = config.mackerel();
        Optional<String> apiKey = m.apiKey().map(String::strip).filter(k -> !k.isEmpty());
        this.enabled = m.enabled().orElse(apiKey.isPresent());
        ConfigProperty.positive("relay.mackerel.graph-defs-every", m.graphDefsEvery());
        ConfigProperty.atLeast("relay.mackerel.queue-capacity", m.queueCapacity(), 1);
        ConfigProperty.atLeast("relay.mackerel.max-request-size", m.maxRequestSize().asLongValue(), 1024);
        ConfigProperty.atLeast("relay.mackerel.max-tasks", m.maxTasks(), 0);
        if (m.minRequestInterval().isNegative()) {
            throw new IllegalArgumentException("relay.mackerel.min-request-interval: must not be negative, was "
                    + m.minRequestInterval());
        }
        String prefix = m.prefix();
        if (!prefix.matches("[-a-zA-Z0-9_]+")) {
            throw new IllegalArgumentException("relay.mackerel.prefix: '" + prefix + "' is not [-a-zA-Z0-9_]+");
        }
        m.key().filter(k -> !k.isBlank())
                .ifPresent(k -> ConfigProperty.parse("relay.mackerel.key", () -> KeyTemplate.parse(k.strip())));
        if (!enabled) {
            return;
        }
        if (apiKey.isEmpty()) {
            throw new IllegalArgumentException("relay.mackerel.enabled: true, but no relay.mackerel.api-key "
                    + "(or MACKEREL_APIKEY) is given");
        }
        URI base = ConfigProperty.parse("relay.mackerel.api-base", () -> URI.create(m.apiBase()));
        if (base.getScheme() == null || !base.getScheme().startsWith("http")) {
            throw new IllegalArgumentException("relay.mackerel.api-base: '" + m.apiBase() + "' is not an http(s) URL");
        }
        Optional<String> identifier = m.customIdentifier().filter(c -> !c.isBlank());
        if (m.registerHost() && identifier.isEmpty()) {
            throw new IllegalArgumentException("relay.mackerel.custom-identifier: needed with "
                    + "relay.mackerel.register-host=true (the EC2 instance id, say)");
        }
        this.dashboard = m.dashboard().role().filter(r -> !r.isBlank())
                .map(role -> ConfigProperty.parse("relay.mackerel.dashboard.role", () -> {
                    GostatsDashboard.checkRole(role);
                    return GostatsDashboard.of(role, prefix);
                }));
        Path state = m.stateDir();
        Clock clock = Clock.systemUTC();
        TaskKeys keys = ConfigProperty.parse("relay.mackerel.key", () -> new TaskKeys(m.key().orElse(null), state));
        this.batches = new MackerelBatches(prefix, m.gostatsCompat(), keys, m.maxTasks());
        this.queue = ConfigProperty.parse("relay.mackerel.state-dir", () -> new DeliveryQueue(state.resolve("queue"),
                m.queueCapacity(), clock, RetryPolicy.DEFAULT));
        this.client = new MackerelClient(base, apiKey.get(), CALL_TIMEOUT);
        if (m.registerHost()) {
            registrar = Optional.of(new HostRegistrar(client, state,
                    HostRegistration.of(identifier.get(), identifier.get(), m.roles().orElse(List.of())), CALL_TIMEOUT));
        }
        this.autoRetire = m.autoRetire();
        HostIdSource hostIds = new HostIdSource(m.hostId(), m.hostIdFile(), registrar);
        List<GraphDefinition> graphs = new ArrayList<>(GraphDefinition.gostatsWildcard(prefix));
        graphs.addAll(HostAggregates.graphs(prefix));
        if (config.containerStats().enabled() && config.discovery().docker().enabled()) {
            graphs.addAll(ContainerGraph.definitions(prefix));
            graphs.addAll(ContainerHostAggregates.graphs(prefix));
        }
        this.poster = new MackerelPoster(client, queue,
                new DeliveryPacer(clock, m.minRequestInterval(), DeliveryPacer.DEFAULT_PAUSE_AFTER_FAILURE),
                hostIds::current, List.copyOf(graphs), m.graphDefsEvery(), (int) m.maxRequestSize().asLongValue(),
                CALL_TIMEOUT, clock);
        registerMeters();
    }


    private void registerMeters() {
        meters.add(Gauge.builder("relay.mackerel.queue.batches", queue, DeliveryQueue::size)
                .description("Minute batches waiting to be posted to Mackerel.").register(registry));
        meters.add(Gauge.builder("relay.mackerel.queue.points", queue, DeliveryQueue::pendingPoints)
                .description("Values waiting to be posted to Mackerel.").register(registry));
        for (DropReason r : DropReason.values()) {
            meters.add(FunctionCounter.builder("relay.mackerel.dropped.points", queue, q -> q.droppedPoints(r))
                    .description("Values never posted to Mackerel, by reason.")
                    .tag("reason", r.name().toLowerCase(java.util.Locale.ROOT)).register(registry));
        }
        poster.onOutcome(kind -> {
            Counter c = Counter.builder("relay.mackerel.posts").description("Calls to the Mackerel API, by outcome.")
                    .tag("outcome", kind).register(registry);
            synchronized (meters) {
                if (!meters.contains(c)) {
                    meters.add(c);
                }
            }
            c.increment();
        });
    }

    /** The sender starts with the first snapshot, so that a command run of the relay posts nothing. */
    private synchronized void startSender() {
        if (sender != null) {
            return;
        }
        sender = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("mackerel-sender"));
        dashboard.ifPresent(d -> sender.execute(() -> GostatsDashboard.apply(client, d, CALL_TIMEOUT)));
        sender.scheduleWithFixedDelay(this::tick, 0, 1, TimeUnit.SECONDS);
    }

    private void tick() {
        try {
            poster.tick();
        } catch (RuntimeException e) {
            LOG.errorf(e, "Mackerel sender step failed; retrying in a second");
        }
    }

    @Override
    public String name() {
        return "mackerel";
    }

    @Override
    public boolean enabled() {
        return enabled;
    }

    /**
     * The queue, the last API call and each target's key segment in Mackerel metric names; never the API key.
     * Down while Mackerel refuses the key.
     */
    @Override
    public SinkStatus status() {
        if (!enabled) {
            return new SinkStatus(name(), false, "off", Map.of(), Map.of());
        }
        MackerelPoster.Status s = poster.status();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("queuedBatches", queue.size());
        details.put("queuedPoints", queue.pendingPoints());
        details.put("lastCallAt", s.at().equals(Instant.EPOCH) ? null : s.at().toString());
        details.put("lastCall", s.outcome());
        details.put("authorized", s.authorized());
        String state = (s.authorized() ? "" : "API KEY REFUSED; ") + queue.size() + " batches (" + queue.pendingPoints()
                + " values) queued; last call " + (s.at().equals(Instant.EPOCH) ? "" : s.at() + ": ") + s.outcome();
        return new SinkStatus(name(), s.authorized(), state, details, batches.keys());
    }

    @Override
    public void start() {
        startSender();
    }

    @Override
    public void accept(Snapshot snapshot) {
        startSender();
        try {
            batches.accept(snapshot).ifPresent(b -> queue.add(b.minute(), b.values()));
        } catch (UncheckedIOException e) {
            LOG.errorf("cannot queue the Mackerel batch of %s: %s", snapshot.cycleTime(), e.getMessage());
        }
    }

    /** SIGTERM: post what can be posted within a bound; the rest stays on disk for the next start. */
    @PreDestroy
    void stop() {
        if (!enabled) {
            return;
        }
        boolean running;
        synchronized (this) {
            running = sender != null;
            if (running) {
                sender.shutdownNow();
            }
        }
        long deadline = System.nanoTime() + FLUSH_BOUND.toNanos();
        while (running && queue.size() > 0 && System.nanoTime() < deadline && poster.status().authorized()) {
            int before = queue.size();
            try {
                poster.flushTick();
            } catch (RuntimeException e) {
                LOG.warnf("Mackerel flush at shutdown stopped: %s", e.getMessage());
                break;
            }
            if (queue.size() == before) {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        if (autoRetire) {
            registrar.ifPresent(HostRegistrar::retire);
        }
        client.close();
        meters.forEach(registry::remove);
    }
}
