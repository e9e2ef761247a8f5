package io.gostats.relay.cycle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.gostats.relay.model.FailureReason;
import io.gostats.relay.model.Snapshot;
import io.gostats.relay.model.TargetReport;
import io.gostats.relay.discovery.TargetSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The relay's own health in numbers (Micrometer): targets by state, cycle duration, fetch errors by reason,
 * discovery up or down, snapshots a sink dropped. Every meter is removed on shutdown, since Quarkus keeps the global
 * registry across restarts in tests.
 */
@ApplicationScoped
public class RelayMetrics {

    private final MeterRegistry registry;
    private final List<Meter> owned = new ArrayList<>();
    private final Timer cycleDuration;
    private final Map<FailureReason, Counter> fetchErrors = new EnumMap<>(FailureReason.class);
    private final Map<String, Counter> sinkDrops = new ConcurrentHashMap<>();
    private volatile Snapshot last = Snapshot.EMPTY;

    public RelayMetrics(MeterRegistry registry) {
        this.registry = registry;
        cycleDuration = own(Timer.builder("relay.cycle.duration")
                .description("Time from the start of a cycle to its snapshot (discover, fetch all, derive).")
                .register(registry));
        for (FailureReason r : FailureReason.values()) {
            fetchErrors.put(r, own(Counter.builder("relay.fetch.errors")
                    .description("Failed /stats fetches, by reason.").tag("reason", r.label()).register(registry)));
        }
        for (String state : List.of("up", "down")) {
            boolean up = state.equals("up");
            own(Gauge.builder("relay.targets", this,
                    m -> m.last.targets().stream().filter(t -> t.up() == up).count())
                    .description("Targets in the last cycle, by state.").tag("state", state).register(registry));
        }
        own(Gauge.builder("relay.last.cycle.timestamp.seconds", this,
                m -> m.last.sequence() == 0 ? 0 : m.last.cycleTime().toEpochMilli() / 1000.0)
                .description("Aligned start time of the last completed cycle, Unix seconds.").register(registry));
    }

    /** Per target source (fixed at start): whether it answers, and how many targets it knows right now. */
    public void registerSources(List<TargetSource> sources) {
        for (TargetSource source : sources) {
            String name = source.status().source();
            own(Gauge.builder("relay.discovery.up", source, s -> s.status().up() ? 1 : 0)
                    .description("1 while the target source answers, else 0.")
                    .tag("source", name).register(registry));
            own(Gauge.builder("relay.discovery.targets", source, s -> s.known().size())
                    .description("Targets the source knows now; Docker events update it between cycles.")
                    .tag("source", name).register(registry));
        }
    }

    public void recordCycle(Snapshot snapshot, Duration took) {
        last = snapshot;
        cycleDuration.record(took);
        for (TargetReport t : snapshot.targets()) {
            t.failure().ifPresent(r -> fetchErrors.get(r).increment());
        }
    }

    public void sinkDropped(String sink) {
        sinkDrops.computeIfAbsent(sink, s -> own(Counter.builder("relay.sink.dropped.snapshots")
                .description("Snapshots a sink skipped because it was still busy with older ones.")
                .tag("sink", s).register(registry))).increment();
    }

    private synchronized <M extends Meter> M own(M meter) {
        owned.add(meter);
        return meter;
    }

    @PreDestroy
    synchronized void removeAll() {
        owned.forEach(registry::remove);
        owned.clear();
    }
}
