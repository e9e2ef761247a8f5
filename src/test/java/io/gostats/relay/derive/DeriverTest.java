package io.gostats.relay.derive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.gostats.relay.TestData;
import io.gostats.relay.model.FailureReason;
import io.gostats.relay.model.FetchResult;
import io.gostats.relay.model.GoRuntime;
import io.gostats.relay.collect.container.ContainerStatsParserTest;
import io.gostats.relay.collect.format.StatsParser;
import io.gostats.relay.model.TaskIdentity;
import io.gostats.relay.model.Target;
import io.gostats.relay.model.Snapshot;
import io.gostats.relay.model.TargetReport;
import io.gostats.relay.model.TaskMetrics;

class DeriverTest {

    static final Target A = new Target("c1:8080", "127.0.0.1", 32768, "/stats", 8080, TaskIdentity.NONE);
    static final Target B = new Target("c2:8080", "127.0.0.1", 32769, "/stats", 8080, TaskIdentity.NONE);
    static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

    final Deriver deriver = new Deriver();

    static GoRuntime churn() {
        return StatsParser.parse(TestData.bytes("samples/stats-churn.json"));
    }

    static GoRuntime pretty() {
        return StatsParser.parse(TestData.bytes("samples/stats-pretty.json"));
    }

    static GoRuntime fresh() {
        return StatsParser.parse(TestData.bytes("samples/stats-fresh.json"));
    }

    static FetchResult ok(Target t, GoRuntime s, int minute) {
        return new FetchResult.Sample(t, s, T0.plusSeconds(60L * minute), Duration.ofMillis(3));
    }

    Snapshot cycle(int minute, FetchResult... results) {
        return deriver.derive(T0.plusSeconds(60L * minute), Duration.ofMillis(5), List.of(results), List.of());
    }

    static TaskMetrics metrics(Snapshot s, Target t) {
        return s.targets().stream().filter(r -> r.target().equals(t)).findFirst().orElseThrow().metrics()
                .orElseThrow();
    }

    @Test
    void accumulatesPauseAndKeepsRawCounters() {
        cycle(0, ok(A, churn(), 0));
        TaskMetrics m = metrics(cycle(1, ok(A, pretty(), 1)), A);
        assertEquals(1716, m.gcCyclesTotal().getAsLong());
        assertEquals((6.268024 + 10.394848) / 1000, m.gcPauseSecondsTotal().getAsDouble(), 1e-12);
        assertEquals(11671135, m.runtime().mallocs().getAsLong());
        assertFalse(m.restarted());
    }

    @Test
    void restartOnTheSamePortStartsCountersAgainWithoutNegativeValues() {
        cycle(0, ok(A, churn(), 0));
        cycle(1, ok(A, pretty(), 1));
        TaskMetrics m = metrics(cycle(2, ok(A, fresh(), 2)), A);
        assertTrue(m.restarted());
        assertEquals(0, m.gcCyclesTotal().getAsLong());
        assertEquals(0.0, m.gcPauseSecondsTotal().getAsDouble());
        TaskMetrics after = metrics(cycle(3, ok(A, withGc(fresh(), 5, 1.5), 3)), A);
        assertFalse(after.restarted());
        assertEquals(5, after.gcCyclesTotal().getAsLong());
        assertEquals(0.0015, after.gcPauseSecondsTotal().getAsDouble(), 1e-12);
    }

    @Test
    void gcNumWrappingPast2To32KeepsTheCounterRising() {
        GoRuntime nearWrap = withGc(pretty(), 4294967290L, 0);
        cycle(0, ok(A, nearWrap, 0));
        // allocation counters still rise: not a restart, gc_num wrapped
        GoRuntime wrapped = withGc(withMallocs(pretty(), pretty().mallocs().getAsLong() + 10), 3, 0);
        TaskMetrics m = metrics(cycle(1, ok(A, wrapped, 1)), A);
        assertFalse(m.restarted());
        assertEquals(4294967296L + 3, m.gcCyclesTotal().getAsLong());
    }

    @Test
    void nonsensePauseValuesAddNothing() {
        cycle(0, ok(A, withGc(churn(), 209, 0), 0));
        TaskMetrics m = metrics(cycle(1, ok(A, withGc(pretty(), 1716, Double.NaN), 1)), A);
        assertEquals(0.0, m.gcPauseSecondsTotal().getAsDouble());
        m = metrics(cycle(2, ok(A, withGc(pretty(), 1716, -4), 2)), A);
        assertEquals(0.0, m.gcPauseSecondsTotal().getAsDouble());
    }

    @Test
    void failureIsReportedWithoutMetricsAndStateSinceIsKept() {
        Snapshot s0 = cycle(0, ok(A, churn(), 0), ok(B, churn(), 0));
        FetchResult.Failure down = new FetchResult.Failure(A, FailureReason.TIMEOUT, "slow", T0.plusSeconds(60),
                Duration.ofSeconds(5));
        Snapshot s1 = cycle(1, down, ok(B, pretty(), 1));
        TargetReport a = s1.targets().stream().filter(r -> r.target().equals(A)).findFirst().orElseThrow();
        assertFalse(a.up());
        assertEquals(Optional.of(FailureReason.TIMEOUT), a.failure());
        assertTrue(a.metrics().isEmpty());
        assertEquals(1, s1.upCount());
        FetchResult.Failure again = new FetchResult.Failure(A, FailureReason.TIMEOUT, "slow", T0.plusSeconds(120),
                Duration.ofSeconds(5));
        Snapshot s2 = cycle(2, again);
        assertEquals(T0.plusSeconds(60), s2.targets().get(0).since());
        assertEquals(java.util.Map.of(FailureReason.TIMEOUT, 2L), s2.targets().get(0).failures());
        FetchResult.Failure other = new FetchResult.Failure(A, FailureReason.REFUSED, "refused", T0.plusSeconds(180),
                Duration.ofMillis(1));
        Snapshot s2b = cycle(3, other);
        assertEquals(T0.plusSeconds(60), s2b.targets().get(0).since(), "a streak starts at its first failure");
        assertEquals(Optional.of(FailureReason.REFUSED), s2b.targets().get(0).failure());
        Snapshot s3 = cycle(4, ok(A, pretty(), 4));
        assertEquals(T0.plusSeconds(240), s3.targets().get(0).since(), "up since the first good fetch");
        assertEquals(java.util.Map.of(FailureReason.TIMEOUT, 2L, FailureReason.REFUSED, 1L),
                s3.targets().get(0).failures(), "counted over the target's life");
        assertEquals(s0.sequence() + 2, s2.sequence());
    }

    @Test
    void stateOfGoneTargetsIsDropped() {
        cycle(0, ok(A, churn(), 0), ok(B, churn(), 0));
        assertEquals(2, deriver.stateSize());
        cycle(1, ok(B, pretty(), 1));
        assertEquals(1, deriver.stateSize());
        // A comes back as a new task: no restart flag, counters from scratch
        TaskMetrics m = metrics(cycle(2, ok(A, fresh(), 2)), A);
        assertFalse(m.restarted());
    }

    static GoRuntime withGc(GoRuntime s, long gcNum, double pauseMs) {
        return s.toBuilder().allocatedBytesTotal(s.allocatedBytesTotal().getAsLong() + 1).gcCycles(gcNum)
                .gcPauseMillis(pauseMs).build();
    }

    static GoRuntime withMallocs(GoRuntime s, long mallocs) {
        return s.toBuilder().mallocs(mallocs).build();
    }

    /** A source without the handler's interval figures nor any GC count has no GC counters: absent, not 0. */
    @Test
    void countersTheSourceDoesNotReportStayAbsent() {
        GoRuntime bare = GoRuntime.builder(io.gostats.relay.model.SourceFormat.GOSTATS).goroutines(5).build();
        cycle(0, ok(A, bare, 0));
        TaskMetrics m = metrics(cycle(1, ok(A, bare, 1)), A);
        assertTrue(m.gcCyclesTotal().isEmpty());
        assertTrue(m.gcPauseSecondsTotal().isEmpty());
        assertFalse(m.restarted());
    }

    /** Every report carries its slot, failed ones too; the task that replaces a gone one continues its number. */
    @Test
    void theSnapshotCarriesEachTasksSlotAndAReplacementTakesTheGoneOnes() {
        Target c = new Target("c3:8080", "127.0.0.1", 32770, "/stats", 8080, TaskIdentity.NONE);
        Snapshot s0 = cycle(0, ok(A, churn(), 0), ok(B, churn(), 0));
        assertEquals(java.util.Map.of(A.id(), 1, B.id(), 2), slots(s0));
        FetchResult.Failure down = new FetchResult.Failure(B, FailureReason.TIMEOUT, "slow", T0.plusSeconds(60),
                Duration.ofSeconds(5));
        assertEquals(java.util.Map.of(A.id(), 1, B.id(), 2), slots(cycle(1, ok(A, churn(), 1), down)));
        assertEquals(java.util.Map.of(c.id(), 1, B.id(), 2), slots(cycle(2, ok(c, fresh(), 2), ok(B, churn(), 2))),
                "c replaced a");
    }

    @Test
    void aContainersReportCarriesItsTargetsSlot() {
        String containerId = "c2";
        Target b = new Target("c2:8080", "127.0.0.1", 32769, "/stats", 8080,
                TaskIdentity.of(containerId, "web", java.util.Map.of()));
        Target other = new Target("c0:8080", "127.0.0.1", 32767, "/stats", 8080,
                TaskIdentity.of("c0", "web", java.util.Map.of()));
        io.gostats.relay.model.Collected collected = new io.gostats.relay.model.Collected(
                List.of(ok(other, churn(), 0), ok(b, churn(), 0)),
                List.of(new io.gostats.relay.model.container.ContainerRead.Read(containerId,
                        ContainerStatsParserTest.sample("docker-v1-a"))), Duration.ZERO);
        Snapshot s = deriver.derive(T0, Duration.ZERO, collected, List.of());
        assertEquals(2, slots(s).get(b.id()));
        assertEquals(1, s.containers().size());
        assertEquals(2, s.containers().get(0).slot());
    }

    static java.util.Map<String, Integer> slots(Snapshot s) {
        java.util.Map<String, Integer> slots = new java.util.HashMap<>();
        s.targets().forEach(r -> slots.put(r.target().id(), r.slot()));
        return slots;
    }
}
