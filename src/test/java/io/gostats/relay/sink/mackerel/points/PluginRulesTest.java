package io.gostats.relay.sink.mackerel.points;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.gostats.relay.TestData;
import io.gostats.relay.collect.format.StatsParser;
import io.gostats.relay.sink.mackerel.graphs.GostatsMetric;

/** Parity with mackerel-plugin-gostats: the worked example of gostats.md §D and the edge cases of §B.3. */
class PluginRulesTest {

    /** A sample reply's figures as the plugin reads them. */
    static Map<GostatsMetric, Double> sample(String name) {
        return PluginRules.reported(StatsParser.parse(TestData.bytes("samples/" + name)), true);
    }

    /** The plugin's lines as {@code graph.metric -> value}, computed the way the relay does for one fetch a minute. */
    static Map<String, Double> lines(PluginRules.Previous prev, Map<GostatsMetric, Double> cur, long now,
            boolean compat) {
        Map<String, Double> out = new LinkedHashMap<>();
        PluginRules.pointOfOneFetch(prev, cur, now, compat).forEach((m, v) -> out.put(m.path(), v));
        return out;
    }

    @Test
    void workedExampleRunOnePrintsTheNineNonDiffLines() {
        Map<String, Double> run1 = lines(null, sample("stats-churn.json"), 1795530545L, true);
        Map<String, Double> expected = new LinkedHashMap<>();
        expected.put("runtime.goroutine_num", 4.0);
        expected.put("memory.memory_alloc", 13469088.0);
        expected.put("memory.memory_sys", 55884816.0);
        expected.put("memory.memory_stack", 327680.0);
        expected.put("heap.heap_sys", 45809664.0);
        expected.put("heap.heap_idle", 31858688.0);
        expected.put("heap.heap_inuse", 13950976.0);
        expected.put("gc.gc_per_second", 49.510057295101774);
        expected.put("gc.gc_pause_per_second", 6.268024);
        assertEquals(expected, run1);
    }

    @Test
    void workedExampleRunTwoAfter32Seconds() {
        PluginRules.Previous prev = new PluginRules.Previous(sample("stats-churn.json"), 1795530545L);
        Map<String, Double> run2 = lines(prev, sample("stats-pretty.json"), 1795530577L, true);
        assertEquals(15, run2.size());
        assertEquals(0.0, run2.get("runtime.cgo_call_num"));
        assertEquals(0.0, run2.get("operation.memory_lookups"));
        assertEquals(19174965.0, run2.get("operation.memory_mallocs"));
        assertEquals(19159948.125, run2.get("operation.memory_frees"));
        assertEquals(0.0, run2.get("heap.heap_released"), "shrank: the reset rule");
        assertEquals(2825.625, run2.get("gc.gc_num"));
        assertEquals(4.0, run2.get("runtime.goroutine_num"));
        assertEquals(22326320.0, run2.get("memory.memory_alloc"));
        assertEquals(60406800.0, run2.get("memory.memory_sys"));
        assertEquals(327680.0, run2.get("memory.memory_stack"));
        assertEquals(50003968.0, run2.get("heap.heap_sys"));
        assertEquals(27197440.0, run2.get("heap.heap_idle"));
        assertEquals(22806528.0, run2.get("heap.heap_inuse"));
        assertEquals(41.68847868798251, run2.get("gc.gc_per_second"));
        assertEquals(10.394848, run2.get("gc.gc_pause_per_second"));
    }

    @Test
    void heapReleasedIsAGaugeOutsideCompatibilityMode() {
        PluginRules.Previous prev = new PluginRules.Previous(sample("stats-churn.json"), 1795530545L);
        assertEquals(19054592.0, lines(prev, sample("stats-pretty.json"), 1795530577L, false).get("heap.heap_released"));
        assertEquals(31858688.0, lines(null, sample("stats-churn.json"), 1795530545L, false).get("heap.heap_released"));
    }

    @Test
    void aRepeatInTheSameSecondPrintsNothing() {
        PluginRules.Previous prev = new PluginRules.Previous(sample("stats-churn.json"), 1795530577L);
        assertTrue(lines(prev, sample("stats-pretty.json"), 1795530577L, true).isEmpty());
        assertTrue(lines(prev, sample("stats-pretty.json"), 1795530570L, true).isEmpty(), "clock went backwards");
    }

    @Test
    void aGapOver600SecondsGivesZeroDiffs() {
        PluginRules.Previous prev = new PluginRules.Previous(sample("stats-churn.json"), 1795530577L);
        Map<String, Double> run3 = lines(prev, sample("stats-pretty.json"), 1795531200L, true);
        assertEquals(15, run3.size());
        for (String diff : new String[] { "runtime.cgo_call_num", "operation.memory_lookups",
                "operation.memory_mallocs", "operation.memory_frees", "heap.heap_released", "gc.gc_num" }) {
            assertEquals(0.0, run3.get(diff), diff);
        }
        assertEquals(22326320.0, run3.get("memory.memory_alloc"));
        Map<String, Double> at600 = lines(prev, sample("stats-pretty.json"), 1795530577L + 600, true);
        assertEquals(1507 * 60 / 600.0, at600.get("gc.gc_num"), "600 s is still diffed");
    }

    @Test
    void aRestartGivesZeroForEveryDiffThatWentDown() {
        PluginRules.Previous prev = new PluginRules.Previous(sample("stats-pretty.json"), 1795530577L);
        Map<String, Double> restarted = lines(prev, sample("stats-fresh.json"), 1795530637L, true);
        assertEquals(0.0, restarted.get("operation.memory_mallocs"));
        assertEquals(0.0, restarted.get("operation.memory_frees"));
        assertEquals(0.0, restarted.get("gc.gc_num"));
        assertEquals(0.0, restarted.get("runtime.cgo_call_num"), "1 -> 1: no change");
        assertEquals(3.0, restarted.get("runtime.goroutine_num"));
    }

    @Test
    void nonFiniteValuesAreNeverSent() {
        Map<GostatsMetric, Double> v = PluginRules.point(null, sample("stats-fresh.json"), 1795530600L, false,
                java.util.OptionalDouble.of(Double.NaN), java.util.OptionalDouble.of(Double.POSITIVE_INFINITY));
        assertTrue(!v.containsKey(GostatsMetric.GC_PER_SECOND) && !v.containsKey(GostatsMetric.GC_PAUSE_PER_SECOND));
        assertEquals(8, v.size(), "10 non-Diff values without a previous point, less the two non-finite ones");
    }

    /**
     * The exception to "absent stays absent": the plugin decodes into a Go struct, so a key missing from a
     * golang-stats reply is 0 in its output; the plugin-compatible outputs (plugin mode, gostats-compat) do the same,
     * and every other output leaves the value out.
     */
    @Test
    void missingKeysAreZeroOnlyInThePluginCompatibleOutputs() {
        io.gostats.relay.model.GoRuntime partial = StatsParser.parse(
                "{\"goroutine_num\":7,\"cgo_call_num\":3}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Map<GostatsMetric, Double> compat = PluginRules.reported(partial, true);
        assertEquals(15, compat.size(), compat.toString());
        assertEquals(7.0, compat.get(GostatsMetric.GOROUTINE_NUM));
        assertEquals(0.0, compat.get(GostatsMetric.MEMORY_SYS));
        assertEquals(0.0, lines(null, compat, 1795530545L, true).get("memory.memory_sys"));

        Map<GostatsMetric, Double> plain = PluginRules.reported(partial, false);
        assertEquals(Map.of(GostatsMetric.GOROUTINE_NUM, 7.0, GostatsMetric.CGO_CALL_NUM, 3.0), plain);
        Map<String, Double> first = lines(null, plain, 1795530545L, false);
        assertEquals(Map.of("runtime.goroutine_num", 7.0), first, "no Diff yet, and nothing for what is missing");
        Map<String, Double> second = lines(new PluginRules.Previous(plain, 1795530545L), plain, 1795530605L, false);
        assertEquals(Map.of("runtime.goroutine_num", 7.0, "runtime.cgo_call_num", 0.0), second);
    }
}
