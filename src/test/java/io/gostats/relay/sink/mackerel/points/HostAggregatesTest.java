package io.gostats.relay.sink.mackerel.points;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.gostats.relay.model.Snapshot;
import io.gostats.relay.model.Target;
import io.gostats.relay.model.TargetReport;
import io.gostats.relay.model.TaskIdentity;
import io.gostats.relay.sink.mackerel.graphs.GostatsMetric;

class HostAggregatesTest {

    static Target target(String id) {
        return new Target(id, "127.0.0.1", 1, "/stats", 8080, TaskIdentity.NONE);
    }

    static TargetReport report(Target t, boolean up) {
        return new TargetReport(t, 1, up, Optional.empty(), "", Instant.EPOCH, Instant.EPOCH, Duration.ZERO,
                Optional.empty(), Map.of());
    }

    @Test
    void sumsEachMetricOverTheTasksThatHaveIt() {
        Target a = target("a"), b = target("b"), c = target("c");
        List<MinutePoints.TaskPoint> points = List.of(
                new MinutePoints.TaskPoint(a, 60, Map.of(GostatsMetric.GOROUTINE_NUM, 4.0, GostatsMetric.GC_NUM, 30.0,
                        GostatsMetric.GC_PER_SECOND, 0.5)),
                new MinutePoints.TaskPoint(b, 60, Map.of(GostatsMetric.GOROUTINE_NUM, 6.0,
                        GostatsMetric.GC_PER_SECOND, 0.25)));
        Snapshot s = new Snapshot(1, Instant.ofEpochSecond(60), Duration.ZERO,
                List.of(report(a, true), report(b, true), report(c, false)), List.of());
        Map<String, Double> agg = HostAggregates.of(points, s);
        assertEquals(10.0, agg.get("runtime.goroutine_num"));
        assertEquals(30.0, agg.get("gc.gc_num"), "only the task that has a Diff this minute");
        assertEquals(0.75, agg.get("gc.gc_per_second"), "the sum of the rates");
        assertEquals(2.0, agg.get("tasks.running"));
        assertEquals(1.0, agg.get("tasks.failing"));
        assertFalse(agg.containsKey("memory.memory_alloc"));
    }
}
