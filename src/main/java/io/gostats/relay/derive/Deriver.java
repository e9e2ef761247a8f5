package io.gostats.relay.derive;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.gostats.relay.config.RelayConfig;

import io.gostats.relay.model.FailureReason;
import io.gostats.relay.model.FetchResult;
import io.gostats.relay.model.GoRuntime;
import io.gostats.relay.model.SourceStatus;
import io.gostats.relay.model.Collected;
import io.gostats.relay.model.Snapshot;
import io.gostats.relay.model.Target;
import io.gostats.relay.model.TargetReport;
import io.gostats.relay.model.TaskMetrics;

/**
 * Turns one cycle's fetch results into a {@link Snapshot}, keeping per-target state (keyed by container id and port)
 * across cycles, and gives every target its slot ({@link TaskSlots}). State of targets that are gone is dropped in
 * the same cycle (their slots are kept until handed out again). Called from the cycle thread only.
 */
@ApplicationScoped
public class Deriver {

    private record State(CounterState counters, boolean up, Optional<FailureReason> failure, Instant since,
            Map<FailureReason, Long> failures) {
    }

    private static final Map<FailureReason, Long> NO_FAILURES = Map.of();

    private final Map<String, State> states = new HashMap<>();
    /**
     * Where the Mackerel sink kept {@value TaskSlots#FILE} before the slot moved here: read on upgrade when
     * {@code relay.state-dir} has none (it defaults to {@code relay.state-dir}, and then there is nothing to read).
     */
    static final String EARLIER_STATE_DIR = "relay.mackerel.state-dir";

    private final ContainerDeriver containers = new ContainerDeriver();
    /** Called at the first cycle, so that a command can choose other slots before it (see {@link #useSlots}). */
    private Supplier<TaskSlots> slotSource;
    private TaskSlots slots;
    private long sequence;

    /** Slots in memory: for tests and tools. */
    public Deriver() {
        this.slotSource = TaskSlots::inMemory;
    }

    /** The relay's: slots kept in {@code relay.state-dir}. */
    @Inject
    public Deriver(RelayConfig config, @ConfigProperty(name = EARLIER_STATE_DIR) Optional<Path> earlierStateDir) {
        this.slotSource = () -> TaskSlots.kept(config.stateDir(), earlierStateDir);
    }

    /** Other slots than the configured ones; before the first cycle (the commands: {@code plugin}, {@code once}). */
    public void useSlots(TaskSlots chosen) {
        if (slots != null) {
            throw new IllegalStateException("slots are chosen before the first cycle");
        }
        this.slotSource = () -> chosen;
    }

    /**
     * The cycle's snapshot, in one piece: its targets' reports and its containers' figures. {@code duration}: from
     * the cycle's start to the end of its fetches (container reads run beside them and are not counted).
     */
    public Snapshot derive(Instant cycleTime, Duration duration, Collected collected, List<SourceStatus> discovery) {
        Snapshot targets = derive(cycleTime, duration, collected.fetches(), discovery);
        List<Target> fetched = collected.fetches().stream().map(FetchResult::target).toList();
        Map<String, Integer> slotOf = new HashMap<>(targets.targets().size() * 2);
        targets.targets().forEach(r -> slotOf.put(r.target().id(), r.slot()));
        return new Snapshot(targets.sequence(), cycleTime, duration, targets.targets(), targets.discovery(),
                containers.derive(collected.containers(), fetched, slotOf));
    }

    /** The targets' reports alone (no container figures). */
    public Snapshot derive(Instant cycleTime, Duration duration, List<FetchResult> results,
            List<SourceStatus> discovery) {
        if (slots == null) {
            slots = slotSource.get();
        }
        Map<String, Integer> slotOf = slots.assign(results.stream().map(FetchResult::target).toList());
        Map<String, State> next = new HashMap<>(results.size() * 2);
        List<TargetReport> reports = new ArrayList<>(results.size());
        for (FetchResult r : results) {
            State prev = states.get(r.target().id());
            State state;
            if (r instanceof FetchResult.Sample s) {
                CounterState before = prev == null ? null : prev.counters();
                boolean restarted = before != null && CounterState.isRestart(before.last(), s.runtime());
                CounterState counters = before == null
                        ? CounterState.first(s.runtime(), s.fetchedAt()) : before.next(s.runtime(), s.fetchedAt());
                GoRuntime runtime = IntervalFigures.fill(s.runtime(), before, counters, restarted);
                state = new State(counters, true, Optional.empty(),
                        prev != null && prev.up() ? prev.since() : s.fetchedAt(),
                        prev == null ? NO_FAILURES : prev.failures());
                reports.add(new TargetReport(r.target(), slotOf.get(r.target().id()), true, Optional.empty(), "",
                        state.since(), s.fetchedAt(), s.took(), Optional.of(new TaskMetrics(runtime,
                                counters.gcCyclesTotal(), counters.gcPauseSecondsTotal(), restarted)),
                        state.failures()));
            } else {
                FetchResult.Failure f = (FetchResult.Failure) r;
                // a failure streak starts at its first failure, whatever reasons follow
                boolean stillDown = prev != null && !prev.up();
                Map<FailureReason, Long> failures = new EnumMap<>(FailureReason.class);
                if (prev != null) {
                    failures.putAll(prev.failures());
                }
                failures.merge(f.reason(), 1L, Long::sum);
                state = new State(prev == null ? null : prev.counters(), false, Optional.of(f.reason()),
                        stillDown ? prev.since() : f.fetchedAt(), Map.copyOf(failures));
                reports.add(new TargetReport(r.target(), slotOf.get(r.target().id()), false, state.failure(),
                        f.detail(), state.since(), f.fetchedAt(), f.took(), Optional.empty(), state.failures()));
            }
            next.put(r.target().id(), state);
        }
        states.clear();
        states.putAll(next);
        reports.sort(Comparator.comparing(t -> t.target().id()));
        return new Snapshot(++sequence, cycleTime, duration, List.copyOf(reports), List.copyOf(discovery));
    }

    /** Targets with state, for tests and the churn soak: never more than the last cycle's targets. */
    public int stateSize() {
        return states.size();
    }
}
