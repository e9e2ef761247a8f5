package io.gostats.relay.derive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import org.junit.jupiter.api.Test;

import io.gostats.relay.model.FetchResult;
import io.gostats.relay.model.GoRuntime;
import io.gostats.relay.model.Snapshot;
import io.gostats.relay.model.SourceFormat;
import io.gostats.relay.model.Target;
import io.gostats.relay.model.TaskIdentity;
import io.gostats.relay.model.TaskMetrics;
import io.gostats.relay.sink.mackerel.graphs.GostatsMetric;
import io.gostats.relay.sink.mackerel.points.PluginRules;

/**
 * Parity for the formats without the handler's interval fields: two fetches a known interval apart give the plugin's
 * numbers (Diffs per minute, gc_per_second and gc_pause_per_second from the counters), and a restart told by the
 * process start time gives no negative or absurd value.
 */
class IntervalFiguresTest {

    static final Target A = new Target("c1:9100", "127.0.0.1", 32768, "/metrics", 9100, TaskIdentity.NONE);
    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    final Deriver deriver = new Deriver();

    static GoRuntime sample(SourceFormat f, long gcs, double pauseSeconds, long mallocs, Double startTime) {
        GoRuntime.Builder b = GoRuntime.builder(f).gcCycles(gcs).gcPauseSecondsTotal(pauseSeconds).mallocs(mallocs)
                .frees(mallocs / 2).allocatedBytesTotal(mallocs * 64).heapAllocBytes(1 << 20);
        if (startTime != null) {
            b.startTimeSeconds(startTime);
        }
        return b.build();
    }

    TaskMetrics fetch(GoRuntime r, long second) {
        Instant at = T0.plusSeconds(second);
        Snapshot s = deriver.derive(at, Duration.ofMillis(5),
                List.of(new FetchResult.Sample(A, r, at, Duration.ofMillis(2))), List.of());
        return s.targets().get(0).metrics().orElseThrow();
    }

    @Test
    void clientGolangAndExpvarGetTheIntervalFiguresOfThePlugin() {
        for (SourceFormat f : new SourceFormat[] { SourceFormat.PROMETHEUS, SourceFormat.EXPVAR }) {
            TaskMetrics first = fetch(sample(f, 100, 0.250, 10_000, null), 0);
            assertEquals(OptionalDouble.empty(), first.runtime().gcPerSecond(), "none on the first sample, not 0");
            assertEquals(OptionalDouble.empty(), first.runtime().gcPauseMillis());
            TaskMetrics second = fetch(sample(f, 130, 0.262, 16_000, null), 60);
            assertEquals(0.5, second.runtime().gcPerSecond().getAsDouble(), 1e-12, f + ": 30 GCs in 60 s");
            assertEquals(12.0, second.runtime().gcPauseMillis().getAsDouble(), 1e-9, f + ": ms since the last fetch");

            // Mackerel's point of that minute, by the plugin's rules
            Map<GostatsMetric, Double> prev = PluginRules.reported(first.runtime(), false);
            Map<GostatsMetric, Double> cur = PluginRules.reported(second.runtime(), false);
            Map<GostatsMetric, Double> point = PluginRules.pointOfOneFetch(
                    new PluginRules.Previous(prev, T0.getEpochSecond()), cur, T0.getEpochSecond() + 60, false);
            assertEquals(6_000.0, point.get(GostatsMetric.MEMORY_MALLOCS), "a Diff per minute");
            assertEquals(30.0, point.get(GostatsMetric.GC_NUM));
            assertEquals(0.5, point.get(GostatsMetric.GC_PER_SECOND), 1e-12);
            assertEquals(12.0, point.get(GostatsMetric.GC_PAUSE_PER_SECOND), 1e-9);
            assertFalse(point.containsKey(GostatsMetric.GOROUTINE_NUM), "absent in the source: no value");
            assertFalse(point.containsKey(GostatsMetric.CGO_CALL_NUM));
            deriver.derive(T0, Duration.ZERO, List.of(), List.of()); // forget A before the next format
        }
    }

    @Test
    void twoFetchesThirtySecondsApart() {
        fetch(sample(SourceFormat.PROMETHEUS, 10, 1.0, 1, 1.7e9), 0);
        TaskMetrics m = fetch(sample(SourceFormat.PROMETHEUS, 13, 1.003, 2, 1.7e9), 30);
        assertEquals(0.1, m.runtime().gcPerSecond().getAsDouble(), 1e-12);
        assertEquals(3.0, m.runtime().gcPauseMillis().getAsDouble(), 1e-9);
    }

    @Test
    void aChangedStartTimeIsARestartEvenWhenCountersGrew() {
        fetch(sample(SourceFormat.PROMETHEUS, 10, 0.5, 1_000, 1.79614401933e9), 0);
        TaskMetrics m = fetch(sample(SourceFormat.PROMETHEUS, 50, 0.9, 5_000, 1.79614410001e9), 60);
        assertTrue(m.restarted(), "the counters went up, but the process is a new one");
        assertEquals(50, m.gcCyclesTotal().getAsLong(), "the new process's own count, from 0");
        assertEquals(OptionalDouble.empty(), m.runtime().gcPerSecond(), "no interval across a restart");
        assertEquals(OptionalDouble.empty(), m.runtime().gcPauseMillis());
        TaskMetrics next = fetch(sample(SourceFormat.PROMETHEUS, 56, 0.906, 6_000, 1.79614410001e9), 120);
        assertFalse(next.restarted());
        assertEquals(0.1, next.runtime().gcPerSecond().getAsDouble(), 1e-12);
        assertEquals(6.0, next.runtime().gcPauseMillis().getAsDouble(), 1e-9);
    }

    @Test
    void theSameStartTimePrintedAgainIsTheSameProcess() {
        fetch(sample(SourceFormat.PROMETHEUS, 10, 0.5, 1_000, 1.79614401933e9), 0);
        TaskMetrics m = fetch(sample(SourceFormat.PROMETHEUS, 11, 0.5, 1_100, 1.7961440193300001e9), 60);
        assertFalse(m.restarted());
    }

    @Test
    void withoutAStartTimeCountersGoingDownAreTheRestart() {
        fetch(sample(SourceFormat.EXPVAR, 10, 0.5, 1_000, null), 0);
        TaskMetrics m = fetch(sample(SourceFormat.EXPVAR, 2, 0.01, 50, null), 60);
        assertTrue(m.restarted());
        assertEquals(OptionalDouble.empty(), m.runtime().gcPerSecond());
    }

    @Test
    void theHandlersOwnIntervalFiguresAreKept() {
        GoRuntime gostats = GoRuntime.builder(SourceFormat.GOSTATS).gcCycles(5).gcPerSecond(9).gcPauseMillis(7)
                .build();
        fetch(gostats, 0);
        TaskMetrics m = fetch(gostats.toBuilder().gcCycles(6).build(), 60);
        assertEquals(9.0, m.runtime().gcPerSecond().getAsDouble());
        assertEquals(7.0, m.runtime().gcPauseMillis().getAsDouble());
    }
}
