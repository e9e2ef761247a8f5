package io.gostats.relay.sink.mackerel.points;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.gostats.relay.model.GoRuntime;
import io.gostats.relay.model.Snapshot;
import io.gostats.relay.model.SourceFormat;
import io.gostats.relay.model.TargetReport;
import io.gostats.relay.model.TaskMetrics;
import io.gostats.relay.sink.mackerel.api.GraphDefinition;
import io.gostats.relay.sink.mackerel.graphs.GraphSets;
import io.gostats.relay.sink.mackerel.graphs.ProcessMetric;
import io.gostats.relay.sink.mackerel.keys.TaskKeys;

/** The process figures of client_golang targets on Mackerel: CPU as percent of one core between minutes, RSS, fds. */
class ProcessMinutePointsTest {

    static final long T0 = MackerelBatchesTest.T0;
    static final String BASE = "custom.gostats.api-1.";

    static GoRuntime process(double cpuSeconds, double startTime, long rss, long fds) {
        return GoRuntime.builder(SourceFormat.PROMETHEUS).goroutines(8).cpuSecondsTotal(cpuSeconds)
                .startTimeSeconds(startTime).residentBytes(rss).openFds(fds).build();
    }

    static Snapshot at(long second, GoRuntime r) {
        TargetReport t = new TargetReport(MackerelBatchesTest.TASK, 1, true, Optional.empty(), "", Instant.EPOCH,
                Instant.ofEpochSecond(second), Duration.ZERO,
                Optional.of(new TaskMetrics(r, OptionalLong.empty(), OptionalDouble.empty(), false)), Map.of());
        return new Snapshot(1, Instant.ofEpochSecond(second), Duration.ZERO, List.of(t), List.of());
    }

    static Map<String, Double> process(MackerelBatches b, Snapshot s) {
        return MackerelBatchesTest.byName(b.accept(s).orElseThrow()).entrySet().stream()
                .filter(e -> e.getKey().startsWith(BASE + "process_"))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    @Test
    void cpuIsPercentOfOneCoreBetweenMinutesAndARestartGivesNone() {
        MackerelBatches b = new MackerelBatches("gostats", false, new TaskKeys(null), 0);
        double start = 1795530000.25;
        assertEquals(Map.of(BASE + "process_memory.resident", 22_000_000.0, BASE + "process_fds.open", 9.0),
                process(b, at(T0, process(10.0, start, 22_000_000, 9))), "a first minute has no CPU figure");
        assertTrue(b.accept(at(T0 + 20, process(11.0, start, 23_000_000, 10))).isEmpty(), "off the minute");
        assertEquals(Map.of(BASE + "process_cpu.usage", 5.0, BASE + "process_memory.resident", 24_000_000.0,
                BASE + "process_fds.open", 11.0), process(b, at(T0 + 60, process(13.0, start, 24_000_000, 11))),
                "3 CPU seconds in 60 s: 5 % of one core");
        assertEquals(Map.of(BASE + "process_cpu.usage", 150.0, BASE + "process_memory.resident", 24_000_000.0,
                BASE + "process_fds.open", 11.0), process(b, at(T0 + 120, process(103.0, start, 24_000_000, 11))),
                "one and a half cores");
        Map<String, Double> restarted = process(b, at(T0 + 180, process(200.0, start + 150, 5_000_000, 7)));
        assertEquals(Map.of(BASE + "process_memory.resident", 5_000_000.0, BASE + "process_fds.open", 7.0),
                restarted, "a new process (its start time moved): no CPU figure, even with its counter above");
        assertEquals(2.0, process(b, at(T0 + 240, process(201.2, start + 150, 5_000_000, 7)))
                .get(BASE + "process_cpu.usage"), 1e-9);
    }

    @Test
    void aMinuteWhoseSecondZeroWasSkippedClosesAtItsFirstCycle() {
        ProcessMinutePoints points = new ProcessMinutePoints();
        double start = 1795530000.25;
        assertTrue(points.accept(at(T0 + 10, process(10.0, start, 1, 1))).isEmpty(), "the baseline");
        assertTrue(points.accept(at(T0 + 50, process(11.0, start, 1, 1))).isEmpty());
        assertEquals(5.0, points.accept(at(T0 + 70, process(13.0, start, 1, 1))).get(0).values()
                .get(ProcessMetric.CPU), 1e-9, "3 CPU seconds between the cycles at :10, 60 s apart");
    }

    @Test
    void withoutAStartTimeACounterGoingDownIsTheRestart() {
        ProcessMinutePoints points = new ProcessMinutePoints();
        GoRuntime a = GoRuntime.builder(SourceFormat.PROMETHEUS).cpuSecondsTotal(50).build();
        GoRuntime b = GoRuntime.builder(SourceFormat.PROMETHEUS).cpuSecondsTotal(2).build();
        assertTrue(points.accept(at(T0, a)).isEmpty(), "CPU time alone gives nothing at a first minute");
        assertTrue(points.accept(at(T0 + 60, b)).isEmpty());
        Map<ProcessMetric, Double> v = points.accept(at(T0 + 120,
                GoRuntime.builder(SourceFormat.PROMETHEUS).cpuSecondsTotal(2.6).build())).get(0).values();
        assertEquals(Set.of(ProcessMetric.CPU), v.keySet());
        assertEquals(1.0, v.get(ProcessMetric.CPU), 1e-9, "0.6 s in 60 s, from the restarted process's baseline");
    }

    @Test
    void sourcesWithoutProcessFiguresPostNone() {
        MackerelBatches b = new MackerelBatches("gostats", false, new TaskKeys(null), 0);
        b.accept(MackerelBatchesTest.snapshot(T0, "stats-churn.json"));
        Map<String, Double> v = MackerelBatchesTest.byName(
                b.accept(MackerelBatchesTest.snapshot(T0 + 60, "stats-pretty.json")).orElseThrow());
        assertTrue(v.keySet().stream().noneMatch(n -> n.contains(".process_")), v.keySet().toString());
        assertEquals(15, v.keySet().stream().filter(n -> n.startsWith(BASE)).count());
    }

    @Test
    void theWildcardDefinitionsCoverWhatIsPosted() {
        List<GraphDefinition> defs = GraphSets.processWildcard("gostats");
        assertEquals(Set.of("custom.gostats.#.process_cpu", "custom.gostats.#.process_memory",
                "custom.gostats.#.process_fds"), defs.stream().map(GraphDefinition::name).collect(Collectors.toSet()));
        assertEquals(Map.of("custom.gostats.#.process_cpu.usage", "percentage",
                "custom.gostats.#.process_memory.resident", "bytes", "custom.gostats.#.process_fds.open", "integer"),
                defs.stream().collect(Collectors.toMap(d -> d.metrics().get(0).name(), GraphDefinition::unit)));
        assertEquals("Gostats.# Process CPU", defs.get(0).displayName());
    }
}
