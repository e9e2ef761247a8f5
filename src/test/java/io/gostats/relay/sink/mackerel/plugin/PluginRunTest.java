package io.gostats.relay.sink.mackerel.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.gostats.relay.TestData;
import io.gostats.relay.collect.format.StatsParser;
import io.gostats.relay.model.FailureReason;
import io.gostats.relay.model.FetchResult;
import io.gostats.relay.model.GoRuntime;
import io.gostats.relay.model.Target;
import io.gostats.relay.sink.mackerel.keys.Targets;
import io.gostats.relay.sink.mackerel.keys.TaskKeys;
import io.gostats.relay.sink.mackerel.points.MackerelBatches;
import io.gostats.relay.sink.mackerel.points.MackerelBatchesTest;

/** Plugin mode against the worked example of gostats.md (section D): the plugin's lines, to the byte. */
class PluginRunTest {

    static final GoRuntime CHURN = StatsParser.parse(TestData.bytes("samples/stats-churn.json"));
    static final GoRuntime PRETTY = StatsParser.parse(TestData.bytes("samples/stats-pretty.json"));
    static final Target TASK = Targets.of("c1", "api", Map.of(), 8080, 32768);
    static final Map<String, String> KEYS = Map.of(TASK.id(), "32768");

    @TempDir
    Path dir;

    static FetchResult sample(GoRuntime s) {
        return new FetchResult.Sample(TASK, s, Instant.EPOCH, Duration.ZERO);
    }

    /** The fetch results as one cycle's reports, as the plugin command gets them. */
    static List<io.gostats.relay.model.TargetReport> reports(FetchResult... results) {
        return new io.gostats.relay.derive.Deriver().derive(Instant.EPOCH, Duration.ZERO, List.of(results), List.of())
                .targets();
    }

    String run(GoRuntime s, long now) throws Exception {
        PluginState state = PluginState.load(dir.resolve("state.json"));
        String out = PluginRun.lines("gostats", true, KEYS, reports(sample(s)), state, now);
        state.save(now);
        return out;
    }

    @Test
    void theWorkedExampleLineByLine() throws Exception {
        assertEquals("""
                gostats.32768.runtime.goroutine_num	4	1795530545
                gostats.32768.memory.memory_alloc	13469088	1795530545
                gostats.32768.memory.memory_sys	55884816	1795530545
                gostats.32768.memory.memory_stack	327680	1795530545
                gostats.32768.heap.heap_sys	45809664	1795530545
                gostats.32768.heap.heap_idle	31858688	1795530545
                gostats.32768.heap.heap_inuse	13950976	1795530545
                gostats.32768.gc.gc_per_second	49.510057	1795530545
                gostats.32768.gc.gc_pause_per_second	6.268024	1795530545
                """, run(CHURN, 1795530545));
        assertEquals("""
                gostats.32768.runtime.goroutine_num	4	1795530577
                gostats.32768.runtime.cgo_call_num	0	1795530577
                gostats.32768.memory.memory_alloc	22326320	1795530577
                gostats.32768.memory.memory_sys	60406800	1795530577
                gostats.32768.memory.memory_stack	327680	1795530577
                gostats.32768.operation.memory_lookups	0	1795530577
                gostats.32768.operation.memory_mallocs	19174965	1795530577
                gostats.32768.operation.memory_frees	19159948.125000	1795530577
                gostats.32768.heap.heap_sys	50003968	1795530577
                gostats.32768.heap.heap_idle	27197440	1795530577
                gostats.32768.heap.heap_inuse	22806528	1795530577
                gostats.32768.heap.heap_released	0	1795530577
                gostats.32768.gc.gc_num	2825.625000	1795530577
                gostats.32768.gc.gc_per_second	41.688479	1795530577
                gostats.32768.gc.gc_pause_per_second	10.394848	1795530577
                """, run(PRETTY, 1795530577));
        assertEquals("", run(PRETTY, 1795530577), "same second: nothing");
        String late = run(PRETTY, 1795531200);
        assertEquals(15, late.lines().count());
        for (String diff : List.of("cgo_call_num", "memory_lookups", "memory_mallocs", "memory_frees", "heap_released",
                "gc_num")) {
            assertTrue(late.contains("." + diff + "\t0\t1795531200\n"), late);
        }
    }

    @Test
    void theStateFileHoldsTheRawValuesAndTheTime() throws Exception {
        run(CHURN, 1795530545);
        JsonNode state = new ObjectMapper().readTree(Files.readString(dir.resolve("state.json")));
        JsonNode e = state.get("gostats.32768");
        assertEquals(1795530545, e.get("_lastTime").asLong());
        assertEquals(1444487, e.get("memory_mallocs").asLong());
        assertEquals(209, e.get("gc_num").asLong());
        assertEquals(31858688, e.get("heap_released").asLong());
    }

    @Test
    void aFailedFetchPrintsNothingAndKeepsTheOldState() throws Exception {
        run(CHURN, 1795530545);
        PluginState state = PluginState.load(dir.resolve("state.json"));
        String out = PluginRun.lines("gostats", true, KEYS, reports(new FetchResult.Failure(TASK,
                FailureReason.REFUSED, "refused", Instant.EPOCH, Duration.ZERO)), state, 1795530577);
        state.save(1795530577);
        assertEquals("", out);
        assertTrue(run(PRETTY, 1795530600).contains("gc_num\t" + PluginOutput.number(1507 * 60.0 / 55) + "\t"));
    }

    @Test
    void entriesUnseenForADayAreForgotten() throws Exception {
        run(CHURN, 1795530545);
        PluginState.load(dir.resolve("state.json")).save(1795530545 + PluginState.FORGET_AFTER_SECONDS + 1);
        assertTrue(PluginState.load(dir.resolve("state.json")).previous("gostats.32768").isEmpty());
    }

    @Test
    void numbersAsGoPrintsThem() {
        assertEquals("0", PluginOutput.number(0.0));
        assertEquals("0", PluginOutput.number(-0.0));
        assertEquals("19174965", PluginOutput.number(19174965.0));
        assertEquals("0.007812", PluginOutput.number(0.0078125));
        assertEquals("0.123456", PluginOutput.number(0.1234565));
        assertEquals("49.510057", PluginOutput.number(49.510057295101774));
        assertEquals("0.000000", PluginOutput.number(1e-7), "never an exponent");
        assertEquals("100000000000000000000.000000", PluginOutput.number(1e20), "beyond int64: %f");
    }

    /** Two plugin runs a minute apart print what the sink posts for the same two samples, less {@code custom.}. */
    @Test
    void theSameNumbersAsTheMackerelSinkInCompatibilityMode() throws Exception {
        MackerelBatches sink = new MackerelBatches("gostats", true, new TaskKeys("{port}"), 0);
        long t0 = MackerelBatchesTest.T0;
        for (String[] step : new String[][] { { "0", "stats-churn.json" }, { "60", "stats-pretty.json" } }) {
            long now = t0 + Long.parseLong(step[0]);
            io.gostats.relay.model.Snapshot snapshot = MackerelBatchesTest.snapshot(now, step[1]);
            StringBuilder posted = new StringBuilder();
            sink.accept(snapshot).orElseThrow().values().stream()
                    .filter(v -> v.name().startsWith("custom.gostats.32768."))
                    .forEach(v -> posted.append(PluginOutput.line(v.name().substring("custom.".length()), v.value(),
                            v.time())));
            String printed = run(snapshot.targets().get(0).metrics().orElseThrow().runtime(), now);
            assertEquals(posted.toString().lines().sorted().toList(), printed.lines().sorted().toList());
        }
    }

    @Test
    void metaIsTheWildcardGraphsOfTheSink() {
        assertEquals(TestData.text("samples/gostats-meta-wildcard.txt"), PluginOutput.meta("gostats"));
    }

    static GoRuntime capture(String file, io.gostats.relay.model.SourceFormat format) {
        return io.gostats.relay.collect.format.Formats.read(TestData.bytes("go-formats/" + file), "",
                java.util.Optional.of(format), io.gostats.relay.model.ExpvarKeys.COMMON);
    }

    /** The same process a while later: {@code gcs} more GCs, {@code pauseSeconds} more pause. */
    static GoRuntime later(GoRuntime r, long gcs, double pauseSeconds) {
        return r.toBuilder().gcCycles(r.gcCycles().getAsLong() + gcs)
                .gcPauseSecondsTotal(r.gcPauseSecondsTotal().getAsDouble() + pauseSeconds).build();
    }

    /** The two interval lines' values, rounded to the microunit (the plugin prints 6 decimals). */
    static Map<String, Double> gcLines(String out) {
        Map<String, Double> lines = new java.util.TreeMap<>();
        out.lines().filter(l -> l.contains(".gc.gc_per_second\t") || l.contains(".gc.gc_pause_per_second\t"))
                .forEach(l -> lines.put(l.split("\t")[0], Math.rint(Double.parseDouble(l.split("\t")[1]) * 1e6) / 1e6));
        return lines;
    }

    /**
     * client_golang and expvar carry no interval figures, and each plugin run is a new process: the two figures come
     * from the GC count and pause total of two runs a known interval apart, kept in the state file.
     */
    @Test
    void countersBetweenTwoRunsGiveTheIntervalFiguresForEveryFormat() throws Exception {
        for (var format : List.of(io.gostats.relay.model.SourceFormat.PROMETHEUS,
                io.gostats.relay.model.SourceFormat.EXPVAR)) {
            Files.deleteIfExists(dir.resolve("state.json"));
            GoRuntime first = capture(format == io.gostats.relay.model.SourceFormat.PROMETHEUS
                    ? "metrics-text-0.0.4.txt" : "debug-vars-default.json", format);
            assertEquals(Map.of(), gcLines(run(first, 1795530545)), format + ": a first run has no interval");
            JsonNode kept = new ObjectMapper().readTree(Files.readString(dir.resolve("state.json")))
                    .get("gostats.32768");
            assertEquals(first.gcPauseSecondsTotal().getAsDouble(), kept.get("_gcPauseTotal").asDouble(), 1e-12);
            assertEquals(first.gcCycles().getAsLong(), kept.get("gc_num").asLong());
            assertEquals(Map.of("gostats.32768.gc.gc_per_second", 0.1,
                    "gostats.32768.gc.gc_pause_per_second", 3.0),
                    gcLines(run(later(first, 6, 0.003), 1795530545 + 60)),
                    format + ": 6 GCs in 60 s, 3 ms of pause since the previous run");
        }
    }

    @Test
    void aRestartBetweenRunsGivesNoIntervalFigures() throws Exception {
        GoRuntime first = capture("metrics-text-0.0.4.txt", io.gostats.relay.model.SourceFormat.PROMETHEUS);
        run(first, 1795530545);
        GoRuntime restarted = later(first, 6, 0.003).toBuilder()
                .startTimeSeconds(first.startTimeSeconds().getAsDouble() + 30).build();
        assertEquals(Map.of(), gcLines(run(restarted, 1795530605)), "a new process: its counters say nothing");
        assertEquals(Map.of("gostats.32768.gc.gc_per_second", 0.05,
                "gostats.32768.gc.gc_pause_per_second", 1.0),
                gcLines(run(later(restarted, 3, 0.001), 1795530665)), "from the new process's first run on");
    }
}
