package io.gostats.relay.sink.mackerel;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.gostats.relay.config.RelayConfig;
import io.gostats.relay.instance.InstanceIdentity;
import io.gostats.relay.model.Snapshot;
import io.gostats.relay.sink.MetricSink;
import io.gostats.relay.sink.SinkStatus;
import io.gostats.relay.sink.mackerel.annotations.DeployAnnotator;
import io.gostats.relay.sink.mackerel.api.MetricValue;
import io.gostats.relay.sink.mackerel.cost.HostMetricBudget;
import io.gostats.relay.sink.mackerel.delivery.DeliveryQueue;
import io.gostats.relay.sink.mackerel.delivery.MackerelPoster;
import io.gostats.relay.sink.mackerel.graphs.GostatsDashboard;
import io.gostats.relay.util.DaemonThreads;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Posts every task's 15 gostats metrics and the host's sums to Mackerel as host custom metrics: each cycle's
 * snapshot becomes (once a minute) a batch in the on-disk queue; a sender thread posts the queue as mackerel-agent
 * would. On when an API key is given ({@code relay.mackerel.enabled} overrides).
 */
@ApplicationScoped
public class MackerelSink implements MetricSink {

    private static final Logger LOG = Logger.getLogger(MackerelSink.class);

    private final boolean enabled;
    private final MackerelParts parts;
    private final MackerelMeters meters;
    private ScheduledExecutorService sender;
    private volatile String startProblem;

    public MackerelSink(MackerelConfig config, RelayConfig relay, MeterRegistry registry, InstanceIdentity instance) {
        Optional<String> apiKey = MackerelChecks.check(config, instance.lookupEnabled());
        this.enabled = apiKey.isPresent();
        if (!enabled) {
            this.parts = null;
            this.meters = null;
            return;
        }
        boolean containerGraphs = relay.containerStats().enabled() && relay.discovery().docker().enabled();
        this.parts = MackerelParts.build(config, apiKey.get(), containerGraphs, instance);
        this.meters = new MackerelMeters(registry, parts.queue(), parts.poster(), parts.cost());
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
     * On the sink's lane: starts the sender, whose first step is the start-up work that needs Mackerel (the
     * dashboard, the host's id). A stalled Mackerel holds the sender then, never the lane, whose snapshots keep
     * becoming batches on disk.
     */
    @Override
    public void start() {
        synchronized (this) {
            sender = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("mackerel-sender"));
            sender.execute(this::startUp);
            sender.scheduleWithFixedDelay(this::tick, 0, 1, TimeUnit.SECONDS);
        }
    }

    private void startUp() {
        try {
            parts.dashboard().ifPresent(d -> {
                if (GostatsDashboard.apply(parts.client(), d, MackerelParts.CALL_TIMEOUT).isEmpty()) {
                    startProblem = "relay.mackerel.dashboard.role: the dashboard " + d.urlPath() + " was not written"
                            + " (the log says why)";
                }
            });
            parts.hostIds().check();
        } catch (RuntimeException e) {
            LOG.warnf("Mackerel start-up step ended early (%s); the sender goes on", e.getMessage());
        }
    }

    private void tick() {
        try {
            parts.poster().tick();
        } catch (RuntimeException e) {
            LOG.errorf(e, "Mackerel sender step failed; retrying in a second");
        }
    }

    @Override
    public void accept(Snapshot snapshot) {
        try {
            parts.batches().accept(snapshot).ifPresent(b -> {
                parts.cost().record(b.minute(), b.values().stream().map(MetricValue::name).toList(), b.perGroup());
                parts.queue().add(b.minute(), b.values());
            });
        } catch (UncheckedIOException e) {
            LOG.errorf("cannot queue the Mackerel batch of %s: %s", snapshot.cycleTime(), e.getMessage());
        }
        // after the batch: records the revisions seen and hands any deploy to the annotations thread
        parts.annotator().ifPresent(a -> a.accept(snapshot));
    }

    /**
     * The queue, the last API call, the host and each target's key segment in Mackerel metric names; never the API
     * key. Down while Mackerel refuses the key, while no host id is known, or when start-up work failed.
     */
    @Override
    public SinkStatus status() {
        if (!enabled) {
            return new SinkStatus(name(), false, "off", Map.of(), Map.of());
        }
        MackerelPoster.Status s = parts.poster().status();
        DeliveryQueue queue = parts.queue();
        Optional<String> host = parts.hostIds().known();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("queuedBatches", queue.size());
        details.put("queuedPoints", queue.pendingPoints());
        details.put("lastCallAt", s.at().equals(Instant.EPOCH) ? null : s.at().toString());
        details.put("lastCall", s.outcome());
        details.put("authorized", s.authorized());
        details.put("hostId", host.orElse(null));
        parts.registrar().ifPresent(r -> details.put("hostsRegistered", r.registered()));
        HostMetricBudget cost = parts.cost();
        details.put("hostMetricsPerMinute", cost.last().map(HostMetricBudget.Minute::metrics).orElse(null));
        details.put("hostMetricsByGroup", cost.last().map(HostMetricBudget.Minute::byGroup).orElse(null));
        details.put("hostMetricBudget", cost.budget());
        details.put("hostMetricsOverBudget", cost.over());
        parts.annotator().ifPresent(a -> details.put("deployAnnotations", a.summary()));
        String problem = startProblem;
        String state = (s.authorized() ? "" : "API KEY REFUSED; ")
                + (host.isPresent() ? "" : "NO HOST ID: " + parts.hostIds().missing() + "; ")
                + (problem == null ? "" : problem + "; ")
                + queue.size() + " batches (" + queue.pendingPoints() + " values) queued; last call "
                + (s.at().equals(Instant.EPOCH) ? "" : s.at() + ": ") + s.outcome()
                + cost.summary().map(c -> "; " + c).orElse("");
        boolean up = s.authorized() && host.isPresent() && problem == null;
        return new SinkStatus(name(), up, state, details, parts.batches().keys());
    }

    /**
     * What {@link #stop} leaves of its budget unused: the dispatcher stops waiting for the sink when the budget ends
     * and the process exits soon after, so the sink's last step (the retire, and its log line when Mackerel stalls)
     * must be over before then, also on a loaded machine where a timeout fires late.
     */
    static final Duration STOP_MARGIN = Duration.ofSeconds(1);

    /**
     * SIGTERM: post what can be posted within the budget less {@link #STOP_MARGIN} (a third of it kept for retiring
     * the relay's own host when {@code auto-retire} is on: no flush call outlives its share, however Mackerel
     * stalls); the rest stays on disk for the next start.
     */
    @Override
    public void stop(Duration budget) {
        long start = System.nanoTime();
        long usable = budget.toNanos() - Math.min(STOP_MARGIN.toNanos(), budget.toNanos() / 2);
        ScheduledExecutorService steps;
        synchronized (this) {
            steps = sender;
        }
        boolean running = steps != null;
        if (running) {
            // its step in flight ends at the interrupt; the flush below must not run beside it
            steps.shutdownNow();
            awaitQuietly(steps, Duration.ofSeconds(1));
        }
        // never started (a command run): nothing was sent, and nothing is retired
        boolean retire = running && parts.autoRetire() && parts.registrar().isPresent();
        long deadline = start + usable - (retire ? usable / 3 : 0);
        DeliveryQueue queue = parts.queue();
        // with no host known (off EC2 with no identifier, no agent id yet) nothing can be sent: the queue stays on disk
        while (running && queue.size() > 0 && System.nanoTime() < deadline && parts.poster().status().authorized()
                && parts.hostIds().known().isPresent()) {
            int before = queue.size();
            try {
                parts.poster().flushTick(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
            } catch (RuntimeException e) {
                LOG.warnf("Mackerel flush at shutdown stopped: %s", e.getMessage());
                break;
            }
            if (queue.size() == before && !pause(Duration.ofMillis(200))) {
                break;
            }
        }
        if (retire) {
            long left = start + usable - System.nanoTime();
            parts.registrar().get().retire(Duration.ofNanos(Math.max(0, left)));
        }
        parts.annotator().ifPresent(DeployAnnotator::close);
        parts.client().close();
        meters.remove();
    }

    private static void awaitQuietly(ScheduledExecutorService executor, Duration d) {
        try {
            executor.awaitTermination(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
