package io.gostats.relay;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.gostats.relay.model.FailureReason;
import io.gostats.relay.model.FetchResult;
import io.gostats.relay.model.GoRuntime;
import io.gostats.relay.model.SourceFormat;
import io.gostats.relay.derive.Deriver;
import io.gostats.relay.model.Snapshot;
import io.gostats.relay.model.TaskIdentity;
import io.gostats.relay.model.Target;

/**
 * Simulated task churn for soak tests: {@code slots} tasks in four ECS families, {@code replacedPerCycle} of them
 * replaced by a new task (new container, new task id, new host port) every cycle, one a minute. Beside the
 * replacements: every 7th cycle one task fails its fetch, every 11th one restarts in place (its counters start again
 * on the same port), and every task's {@code gc_num} wraps past 2^32 along the way.
 */
public final class Churn {

    public static final Instant T0 = Instant.parse("2026-11-24T00:00:00Z");
    private static final long UINT32 = 1L << 32;

    private final int replacedPerCycle;
    private final Deriver deriver = new Deriver();
    private final int[] generation;
    private final long[] age;
    private int cycle;
    private long replacements;

    public Churn(int slots, int replacedPerCycle) {
        this.replacedPerCycle = replacedPerCycle;
        this.generation = new int[slots];
        this.age = new long[slots];
    }

    public Deriver deriver() {
        return deriver;
    }

    public long replacements() {
        return replacements;
    }

    public int slots() {
        return generation.length;
    }

    /** The next cycle's snapshot. */
    public Snapshot next() {
        for (int r = 0; r < replacedPerCycle; r++) {
            int slot = (cycle * replacedPerCycle + r) % generation.length;
            generation[slot]++;
            age[slot] = 0;
            replacements++;
        }
        List<FetchResult> results = new ArrayList<>(generation.length);
        Instant at = T0.plusSeconds(60L * cycle);
        for (int slot = 0; slot < generation.length; slot++) {
            Target t = target(slot, generation[slot]);
            if (cycle % 7 == 0 && slot == cycle % generation.length) {
                results.add(new FetchResult.Failure(t, FailureReason.TIMEOUT, "churn", at, Duration.ofSeconds(5)));
            } else {
                if (cycle % 11 == 0 && slot == cycle % generation.length) {
                    age[slot] = 0; // a restart in place: same container and port, counters from zero
                }
                results.add(new FetchResult.Sample(t, stats(age[slot]++), at, Duration.ofMillis(2)));
            }
        }
        cycle++;
        return deriver.derive(at, Duration.ofMillis(10), results, List.of());
    }

    static Target target(int slot, int generation) {
        String family = "svc" + slot % 4;
        String container = String.format("%04d%08d", slot, generation);
        TaskIdentity id = TaskIdentity.of(container, "ecs-" + family + "-" + container, Map.of(
                "com.amazonaws.ecs.cluster", "soak",
                "com.amazonaws.ecs.task-arn", "arn:aws:ecs:r:1:task/soak/" + container,
                "com.amazonaws.ecs.task-definition-family", family,
                "com.amazonaws.ecs.task-definition-version", "1",
                "com.amazonaws.ecs.container-name", "app"));
        return new Target(container + ":8080", "127.0.0.1", 30000 + (slot * 7 + generation) % 30000, "/stats", 8080,
                id);
    }

    /** A process {@code age} minutes old; its gc_num started 4 below 2^32, so it wraps at 4 minutes old. */
    static GoRuntime stats(long age) {
        long gc = (UINT32 - 4 + age) % UINT32;
        return GoRuntime.builder(SourceFormat.GOSTATS).goVersion("go1.22.1").goOs("linux").goArch("amd64")
                .goroutines(10).gomaxprocs(2).cgoCalls(age).heapAllocBytes(1_000_000 + age * 1000)
                .allocatedBytesTotal(50_000_000 + age * 1_000_000).sysBytes(20_000_000).lookups(0)
                .mallocs(100_000 + age * 500).frees(90_000 + age * 490).stackInuseBytes(65536)
                .heapSysBytes(4_000_000).heapIdleBytes(2_000_000).heapInuseBytes(2_000_000)
                .heapReleasedBytes(1_000_000).heapObjects(5000).gcGoalBytes(4_000_000).gcCycles(gc)
                .gcPerSecond(0.5).gcPauseMillis(1.5).build();
    }
}
