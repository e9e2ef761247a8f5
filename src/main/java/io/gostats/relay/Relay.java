package io.gostats.relay;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.gostats.relay.collect.Collector;
import io.gostats.relay.collect.FetchResult;
import io.gostats.relay.containerstats.ContainerRead;
import io.gostats.relay.containerstats.ContainerStatsStage;
import io.gostats.relay.derive.Deriver;
import io.gostats.relay.derive.Snapshot;
import io.gostats.relay.discovery.Discovery;
import io.gostats.relay.discovery.Target;
import io.gostats.relay.sink.SinkDispatcher;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.annotations.CommandLineArguments;

/**
 * The cycle, and nothing else: discover, collect, derive, dispatch. A first cycle at start, then one at every
 * multiple of {@code relay.interval} on the wall clock (second 0 of each minute with 60 s, as mackerel-agent does),
 * one at a time: a cycle that overruns skips the boundaries it missed.
 */
@ApplicationScoped
public class Relay {

    private static final Logger LOG = Logger.getLogger(Relay.class);

    private final RelayConfig config;
    private final Discovery discovery;
    private final Collector collector;
    private final Deriver deriver;
    private final SinkDispatcher sinks;
    private final RelayMetrics metrics;
    private final ContainerStatsStage containerStats;
    private final Clock clock = Clock.systemUTC();
    private final Duration interval;
    private ScheduledExecutorService scheduler;
    private volatile Snapshot last = Snapshot.EMPTY;

    public Relay(RelayConfig config, Discovery discovery, Collector collector, Deriver deriver, SinkDispatcher sinks,
            RelayMetrics metrics, ContainerStatsStage containerStats) {
        this.config = config;
        this.containerStats = containerStats;
        this.discovery = discovery;
        this.collector = collector;
        this.deriver = deriver;
        this.sinks = sinks;
        this.metrics = metrics;
        this.interval = config.interval();
        if (interval.toMillis() < 1000) {
            throw new IllegalArgumentException("relay.interval: must be at least 1s, was " + config.interval());
        }
    }

    void start(@Observes StartupEvent event, @CommandLineArguments String[] args) {
        if (args.length > 0) {
            return; // a command (see RelayMain), not the relay
        }
        metrics.registerSources(discovery.sources());
        sinks.onDropped(metrics::sinkDropped);
        LOG.infof("gostats-relay: cycle every %ss, fetching %s with %d in flight, sources %s, sinks %s",
                interval.toSeconds(), config.collect().path(), config.collect().concurrency(),
                discovery.statuses().stream().map(s -> s.source()).toList(), sinks.sinkNames());
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "relay-cycle");
            t.setDaemon(true);
            return t;
        });
        Instant now = clock.instant();
        scheduler.execute(() -> cycle(now.truncatedTo(ChronoUnit.SECONDS)));
    }

    void stop(@Observes ShutdownEvent event) {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    private void cycle(Instant cycleTime) {
        long start = System.nanoTime();
        try {
            List<Target> targets = discovery.discover();
            // container stats run beside the /stats fetches, bounded by the same deadline; not part of "took"
            CompletableFuture<List<ContainerRead>> containerReads = containerStats.start(targets);
            List<FetchResult> results = collector.collect(targets).await().indefinitely();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            Snapshot snapshot = deriver.derive(cycleTime, took, results, discovery.statuses())
                    .withContainers(containerStats.finish(containerReads, targets));
            last = snapshot;
            metrics.recordCycle(snapshot, took);
            sinks.dispatch(snapshot);
            LOG.debugf("cycle %d at %s: %d targets, %d up, %d ms", snapshot.sequence(), cycleTime,
                    targets.size(), snapshot.upCount(), took.toMillis());
        } catch (RuntimeException e) {
            if (scheduler.isShutdown()) {
                LOG.debugf("cycle at %s ended by shutdown", cycleTime);
            } else {
                LOG.errorf(e, "cycle at %s failed", cycleTime);
            }
        } finally {
            scheduleNext();
        }
    }

    private void scheduleNext() {
        if (scheduler.isShutdown()) {
            return;
        }
        Instant next = nextBoundary(clock.instant(), interval);
        scheduler.schedule(() -> cycle(next), Duration.between(clock.instant(), next).toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** The first multiple of {@code interval} since the epoch that is after {@code now}. */
    static Instant nextBoundary(Instant now, Duration interval) {
        long step = interval.toMillis();
        long nowMs = now.toEpochMilli();
        return Instant.ofEpochMilli((nowMs / step + 1) * step);
    }

    /** The last completed cycle's snapshot ({@link Snapshot#EMPTY} before the first). */
    public Snapshot last() {
        return last;
    }
}
