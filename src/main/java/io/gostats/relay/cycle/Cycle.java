package io.gostats.relay.cycle;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.gostats.relay.collect.CollectStage;
import io.gostats.relay.config.RelayConfig;
import io.gostats.relay.derive.Deriver;
import io.gostats.relay.derive.TaskSlots;
import io.gostats.relay.discovery.Discovery;
import io.gostats.relay.model.Collected;
import io.gostats.relay.model.Snapshot;
import io.gostats.relay.model.Target;

/**
 * One cycle, the pipeline and the only code that knows every stage: discover, collect, derive. The daemon
 * ({@link Relay}) and the {@code once} and {@code plugin} commands all run cycles through here. Blocking: run it on a
 * worker thread, one at a time (the deriver keeps per-target state).
 */
@ApplicationScoped
public class Cycle {

    private final Discovery discovery;
    private final CollectStage collect;
    private final Deriver deriver;
    private final RelayConfig config;

    public Cycle(Discovery discovery, CollectStage collect, Deriver deriver, RelayConfig config) {
        this.discovery = discovery;
        this.collect = collect;
        this.deriver = deriver;
        this.config = config;
    }

    /**
     * {@code plugin}, before its cycle: the task slots in {@code dir}, where plugin mode has always kept them beside
     * its state file; empty: in memory (its keys do not use them, and nothing else of it does).
     */
    public void keepSlotsIn(Optional<Path> dir) {
        deriver.useSlots(dir.map(d -> TaskSlots.kept(d, Optional.empty())).orElseGet(TaskSlots::inMemory));
    }

    /** {@code once}, before its cycle: the relay's slots, read but never written (a relay may run beside it). */
    public void readSlotsOnly() {
        deriver.useSlots(TaskSlots.readOnly(config.stateDir()));
    }

    /** The target sources, for the relay's own meters. */
    public List<io.gostats.relay.discovery.TargetSource> sources() {
        return discovery.sources();
    }

    /** {@code cycleTime}: the boundary the cycle belongs to, stamped on its snapshot. */
    public Snapshot run(Instant cycleTime) {
        long start = System.nanoTime();
        List<Target> targets = discovery.discover();
        Duration discovered = Duration.ofNanos(System.nanoTime() - start);
        Collected collected = collect.collect(targets, discovery.dockerUp());
        // the cycle time the relay reports: discovery and the fetches, not the container reads beside them
        return deriver.derive(cycleTime, discovered.plus(collected.fetchesTook()), collected, discovery.statuses());
    }
}
