package io.gostats.relay.cycle;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.gostats.relay.config.RelayConfig;
import io.gostats.relay.model.LatestSnapshot;
import io.gostats.relay.model.Snapshot;
import io.gostats.relay.sink.SinkDispatcher;
import io.gostats.relay.util.DaemonThreads;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.annotations.CommandLineArguments;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.quarkus.scheduler.Scheduler;

/**
 * The daemon: a first cycle at start, then one at every multiple of {@code relay.interval} on the wall clock
 * ({@link CycleSchedule}), on quarkus-scheduler. Each cycle is stamped with its boundary (the scheduler looks at its
 * triggers once a second, so a cycle may start up to a second after it), runs one at a time (a cycle that overruns
 * makes the next boundaries skip, never overlap), and its snapshot goes to the latest-snapshot holder, the relay's
 * own meters and every sink.
 */
@ApplicationScoped
public class Relay {

    private static final Logger LOG = Logger.getLogger(Relay.class);
    static final String JOB = "relay-cycle";

    private final RelayConfig config;
    private final Cycle cycle;
    private final SinkDispatcher sinks;
    private final RelayMetrics metrics;
    private final LatestSnapshot latest;
    private final Scheduler scheduler;
    private final CycleSchedule schedule;
    private final ReentrantLock running = new ReentrantLock();
    private final Clock clock = Clock.systemUTC();
    private volatile boolean stopping;

    public Relay(RelayConfig config, Cycle cycle, SinkDispatcher sinks, RelayMetrics metrics, LatestSnapshot latest,
            Scheduler scheduler) {
        this.config = config;
        this.cycle = cycle;
        this.sinks = sinks;
        this.metrics = metrics;
        this.latest = latest;
        this.scheduler = scheduler;
        if (config.interval().toMillis() < 1000) {
            throw new IllegalArgumentException("relay.interval: must be at least 1s, was " + config.interval());
        }
        this.schedule = CycleSchedule.of(config.interval());
    }

    void start(@Observes StartupEvent event, @CommandLineArguments String[] args) {
        if (args.length > 0) {
            return; // a command (see RelayMain), not the relay: no cycles, no sinks
        }
        metrics.registerSources(cycle.sources());
        sinks.onDropped(metrics::sinkDropped);
        sinks.start();
        LOG.infof("gostats-relay: cycle every %ss (cron %s), fetching %s with %d in flight, sources %s, sinks %s",
                config.interval().toSeconds(), schedule.cron(), config.collect().path(),
                config.collect().concurrency(), cycle.sources().stream().map(s -> s.status().source()).toList(),
                sinks.sinkNames());
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        DaemonThreads.named("relay-first-cycle").newThread(() -> run(now)).start();
        scheduler.newJob(JOB)
                .setCron(schedule.cron())
                .setTimeZone("UTC")
                .setConcurrentExecution(ConcurrentExecution.SKIP)
                .setTask(execution -> run(execution.getScheduledFireTime().truncatedTo(ChronoUnit.SECONDS)))
                .schedule();
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        if (scheduler.getScheduledJob(JOB) != null) {
            scheduler.unscheduleJob(JOB);
        }
    }

    /** One cycle, unless one still runs (then this boundary is skipped). */
    void run(Instant cycleTime) {
        if (!running.tryLock()) {
            LOG.debugf("cycle at %s skipped: the previous cycle still runs", cycleTime);
            return;
        }
        try {
            Snapshot snapshot = cycle.run(cycleTime);
            latest.publish(snapshot);
            metrics.recordCycle(snapshot, snapshot.duration());
            sinks.dispatch(snapshot);
            LOG.debugf("cycle %d at %s: %d targets, %d up, %d ms", snapshot.sequence(), cycleTime,
                    snapshot.targets().size(), snapshot.upCount(), snapshot.duration().toMillis());
        } catch (RuntimeException e) {
            if (stopping) {
                LOG.debugf("cycle at %s ended by shutdown", cycleTime);
            } else {
                LOG.errorf(e, "cycle at %s failed", cycleTime);
            }
        } finally {
            running.unlock();
        }
    }
}
