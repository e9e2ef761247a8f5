package io.gostats.relay.sink.mackerel.points;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import org.junit.jupiter.api.Test;

import io.gostats.relay.model.GoRuntime;
import io.gostats.relay.model.Snapshot;
import io.gostats.relay.model.SourceFormat;
import io.gostats.relay.model.Target;
import io.gostats.relay.model.TargetReport;
import io.gostats.relay.model.TaskIdentity;
import io.gostats.relay.model.TaskMetrics;
import io.gostats.relay.sink.mackerel.graphs.GostatsMetric;

class MinutePointsTest {

    static final Target A = new Target("a:8080", "127.0.0.1", 32768, "/stats", 8080, TaskIdentity.NONE);
    static final long T0 = 1795530600L; // second 0 of a minute

    final MinutePoints points = new MinutePoints(false);

    static GoRuntime stats(long gcNum, long mallocs, double gcPerSecond, double pauseMs) {
        return GoRuntime.builder(SourceFormat.GOSTATS).goVersion("go1.19.8").goOs("linux").goArch("amd64")
                .goroutines(4).gomaxprocs(2).cgoCalls(1).heapAllocBytes(100).allocatedBytesTotal(1000 + mallocs)
                .sysBytes(200).lookups(0).mallocs(mallocs).frees(mallocs / 2).stackInuseBytes(32)
                .heapSysBytes(300).heapIdleBytes(50).heapInuseBytes(250).heapReleasedBytes(40).heapObjects(10)
                .gcGoalBytes(400).gcCycles(gcNum).gcPerSecond(gcPerSecond).gcPauseMillis(pauseMs).build();
    }

    List<MinutePoints.TaskPoint> cycle(long second, GoRuntime s) {
        TargetReport r = new TargetReport(A, 1, true, Optional.empty(), "", Instant.EPOCH,
                Instant.ofEpochSecond(second),
                Duration.ZERO, Optional.of(new TaskMetrics(s, s.gcCycles(), OptionalDouble.of(0), false)), Map.of());
        return points.accept(new Snapshot(1, Instant.ofEpochSecond(second), Duration.ZERO, List.of(r), List.of()));
    }

    @Test
    void oneFetchAMinutePostsWhatThePluginPosts() {
        List<MinutePoints.TaskPoint> first = cycle(T0, stats(10, 1000, 2.5, 1.25));
        assertEquals(1, first.size());
        assertFalse(first.get(0).values().containsKey(GostatsMetric.GC_NUM), "no Diff on the first sample");
        assertEquals(2.5, first.get(0).values().get(GostatsMetric.GC_PER_SECOND));
        Map<GostatsMetric, Double> second = cycle(T0 + 60, stats(70, 7000, 1.0, 3.5)).get(0).values();
        assertEquals(15, second.size());
        assertEquals(60.0, second.get(GostatsMetric.GC_NUM));
        assertEquals(6000.0, second.get(GostatsMetric.MEMORY_MALLOCS));
        assertEquals(1.0, second.get(GostatsMetric.GC_PER_SECOND), "the handler's own value");
        assertEquals(3.5, second.get(GostatsMetric.GC_PAUSE_PER_SECOND));
        assertEquals(T0 + 60, cycle(T0 + 120, stats(71, 7001, 0, 0)).get(0).epochSecond() - 60);
    }

    @Test
    void shortIntervalsStillGiveOnePointAMinuteWithTheSameMeaning() {
        cycle(T0 - 45, stats(0, 0, 0, 0)); // started at second 15: a baseline, no point
        assertTrue(cycle(T0 - 30, stats(15, 1500, 9, 2.0)).isEmpty());
        assertTrue(cycle(T0 - 15, stats(30, 3000, 9, 3.0)).isEmpty());
        Map<GostatsMetric, Double> v = cycle(T0, stats(45, 4500, 9, 4.0)).get(0).values();
        assertEquals(45 * 60 / 45.0, v.get(GostatsMetric.GC_NUM), "per minute over the 45 s since the baseline");
        assertEquals(45 / 45.0, v.get(GostatsMetric.GC_PER_SECOND), "Δgc_num/Δt over the minute");
        assertEquals(9.0, v.get(GostatsMetric.GC_PAUSE_PER_SECOND), "pause summed over the minute's fetches");
        for (int i = 1; i <= 3; i++) {
            assertTrue(cycle(T0 + 15 * i, stats(45 + 10 * i, 4500, 9, 1.0)).isEmpty());
        }
        v = cycle(T0 + 60, stats(95, 4500, 9, 1.0)).get(0).values();
        assertEquals(50.0, v.get(GostatsMetric.GC_NUM));
        assertEquals(4.0, v.get(GostatsMetric.GC_PAUSE_PER_SECOND));
        assertEquals(50 / 60.0, v.get(GostatsMetric.GC_PER_SECOND));
    }

    @Test
    void aFailedMinuteStretchesTheNextDiffAndGoneTasksAreForgotten() {
        cycle(T0, stats(0, 0, 0, 0));
        Snapshot failed = new Snapshot(2, Instant.ofEpochSecond(T0 + 60), Duration.ZERO, List.of(
                new TargetReport(A, 1, false, Optional.empty(), "down", Instant.EPOCH, Instant.EPOCH, Duration.ZERO,
                        Optional.empty(), Map.of())), List.of());
        assertTrue(points.accept(failed).isEmpty());
        assertEquals(60.0, cycle(T0 + 120, stats(120, 0, 0, 0)).get(0).values().get(GostatsMetric.GC_NUM));
        points.accept(new Snapshot(3, Instant.ofEpochSecond(T0 + 180), Duration.ZERO, List.of(), List.of()));
        assertEquals(0, points.tracked());
    }
}
