package io.gostats.relay.sink.mackerel.points;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.gostats.relay.TestData;
import io.gostats.relay.collect.format.StatsParser;
import io.gostats.relay.model.GoRuntime;
import io.gostats.relay.model.Snapshot;
import io.gostats.relay.model.Target;
import io.gostats.relay.model.TargetReport;
import io.gostats.relay.model.TaskIdentity;
import io.gostats.relay.model.TaskMetrics;
import io.gostats.relay.sink.mackerel.api.MetricValue;
import io.gostats.relay.sink.mackerel.keys.TaskKeys;

/** The compatibility preset gives the old shell loop's names and numbers; the default gives stable keys. */
public class MackerelBatchesTest {

    public static final long T0 = 1795530600L;
    public static final Target TASK = new Target("c1:8080", "127.0.0.1", 32768, "/stats", 8080,
            TaskIdentity.of("c1", "ecs-api-7-api-d6f8", Map.of("com.amazonaws.ecs.task-definition-family", "api",
                    "com.amazonaws.ecs.task-arn", "arn:aws:ecs:r:1:task/demo/0123456789abcdef0123456789abcdef")));

    public static Snapshot snapshot(long second, String sample) {
        GoRuntime s = StatsParser.parse(TestData.bytes("samples/" + sample));
        TargetReport r = new TargetReport(TASK, 1, true, Optional.empty(), "", Instant.EPOCH,
                Instant.ofEpochSecond(second), Duration.ZERO, Optional.of(new TaskMetrics(s, s.gcCycles(), java.util.OptionalDouble.of(0), false)),
                Map.of());
        return new Snapshot(1, Instant.ofEpochSecond(second), Duration.ZERO, List.of(r), List.of());
    }

    public static Map<String, Double> byName(MackerelBatches.MinuteBatch b) {
        return new TreeMap<>(b.values().stream().collect(Collectors.toMap(MetricValue::name, MetricValue::value)));
    }

    @Test
    void compatibilityPresetReproducesTheOldLoop() {
        MackerelBatches batches = new MackerelBatches("gostats", true, new TaskKeys("{port}"), 0);
        Map<String, Double> first = byName(batches.accept(snapshot(T0, "stats-churn.json")).orElseThrow());
        assertEquals(9, first.keySet().stream().filter(n -> n.startsWith("custom.gostats.32768.")).count());
        assertEquals(4.0, first.get("custom.gostats.32768.runtime.goroutine_num"));
        MackerelBatches.MinuteBatch second = batches.accept(snapshot(T0 + 60, "stats-pretty.json")).orElseThrow();
        assertEquals(T0 + 60, second.minute());
        Map<String, Double> v = byName(second);
        assertEquals(15, v.keySet().stream().filter(n -> n.startsWith("custom.gostats.32768.")).count());
        assertEquals(1507 * 60 / 60.0, v.get("custom.gostats.32768.gc.gc_num"));
        assertEquals(10226648.0, v.get("custom.gostats.32768.operation.memory_mallocs"));
        assertEquals(0.0, v.get("custom.gostats.32768.heap.heap_released"), "the plugin's Diff of a shrinking gauge");
        assertTrue(second.values().stream().allMatch(x -> x.time() == T0 + 60 && x.hostId().isEmpty()));
    }

    @Test
    void defaultKeysAreTheFamilyAndASlotAndHeapReleasedIsAGauge() {
        MackerelBatches batches = new MackerelBatches("gostats", false, new TaskKeys(null), 0);
        batches.accept(snapshot(T0, "stats-churn.json"));
        Map<String, Double> v = byName(batches.accept(snapshot(T0 + 60, "stats-pretty.json")).orElseThrow());
        assertEquals(19054592.0, v.get("custom.gostats.api-1.heap.heap_released"));
        assertEquals(v.get("custom.gostats.api-1.memory.memory_sys"), v.get("custom.gostats_host.memory.memory_sys"));
        assertEquals(1.0, v.get("custom.gostats_host.tasks.running"));
    }

    @Test
    void cyclesThatNeverLandOnSecondZeroStillGiveABatchEveryMinute() {
        // a 10 s interval whose cycles overrun to 13 s (a stalled Docker engine, a hanging target) runs at :10, :30
        // and :50 only: no cycle at second 0, ever (cli/ShutdownBudgetIT queued no batch in 150 s)
        MackerelBatches batches = new MackerelBatches("gostats", false, new TaskKeys(null), 0);
        assertTrue(batches.accept(snapshot(T0 + 10, "stats-churn.json")).isEmpty(), "the baseline");
        assertTrue(batches.accept(snapshot(T0 + 30, "stats-churn.json")).isEmpty());
        assertTrue(batches.accept(snapshot(T0 + 50, "stats-churn.json")).isEmpty());
        MackerelBatches.MinuteBatch b = batches.accept(snapshot(T0 + 70, "stats-pretty.json")).orElseThrow();
        assertEquals(T0 + 70, b.minute(), "stamped with the cycle that closed the minute");
        assertEquals(1507.0, byName(b).get("custom.gostats.api-1.gc.gc_num"), "per minute over the 60 s between");
        assertTrue(batches.accept(snapshot(T0 + 90, "stats-pretty.json")).isEmpty());
        assertTrue(batches.accept(snapshot(T0 + 130, "stats-pretty.json")).isPresent());
    }

    @Test
    void offTheMinuteNothingIsPosted() {
        MackerelBatches batches = new MackerelBatches("gostats", false, new TaskKeys(null), 0);
        assertTrue(batches.accept(snapshot(T0 + 15, "stats-churn.json")).isEmpty());
    }
}
