package io.gostats.relay.sink.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.gostats.relay.TestData;
import io.gostats.relay.collect.format.StatsParser;
import io.gostats.relay.model.Snapshot;
import io.gostats.relay.model.TargetReport;
import io.gostats.relay.model.TaskMetrics;
import io.gostats.relay.model.TaskIdentity;
import io.gostats.relay.model.Target;
import io.prometheus.client.Collector.MetricFamilySamples;

class SnapshotCollectorTest {

    static TargetReport up(String container, int hostPort) {
        TaskIdentity id = TaskIdentity.of("id-" + container, container,
                Map.of("com.amazonaws.ecs.task-arn", "arn:aws:ecs:r:1:task/c/" + container + "0000",
                        "com.amazonaws.ecs.task-definition-family", "api"));
        Target t = new Target(id.containerId() + ":8080", "127.0.0.1", hostPort, "/stats", 8080, id);
        var stats = StatsParser.parse(TestData.bytes("samples/stats-churn.json"));
        return new TargetReport(t, 1, true, Optional.empty(), "", Instant.EPOCH, Instant.EPOCH, Duration.ZERO,
                Optional.of(new TaskMetrics(stats, stats.gcCycles(), java.util.OptionalDouble.of(0.5), false)), Map.of());
    }

    static Snapshot snapshot(long seq, TargetReport... targets) {
        return new Snapshot(seq, Instant.EPOCH, Duration.ZERO, List.of(targets), List.of());
    }

    static List<String> tasks(List<MetricFamilySamples> families, String family) {
        return families.stream().filter(f -> f.name.equals(family)).flatMap(f -> f.samples.stream())
                .map(s -> s.labelValues.get(SnapshotCollector.LABELS.indexOf("task_id"))).toList();
    }

    @Test
    void aTaskThatIsGoneHasNoSeriesInTheNextSnapshot() {
        SnapshotCollector c = new SnapshotCollector();
        c.update(snapshot(1, up("a", 32768), up("b", 32769)));
        assertEquals(List.of("a0000", "b0000"), tasks(c.collect(), "gostats_goroutines"));
        c.update(snapshot(2, up("b", 32769)));
        List<MetricFamilySamples> after = c.collect();
        for (MetricFamilySamples f : after) {
            assertTrue(f.samples.stream().noneMatch(s -> s.labelValues.contains("a0000")), f.name);
        }
        assertEquals(List.of("b0000"), tasks(after, "gostats_up"));
    }

    @Test
    void everyScrapeOfOneSnapshotSharesOneRendering() {
        SnapshotCollector c = new SnapshotCollector();
        c.update(snapshot(1, up("a", 32768)));
        assertSame(c.collect(), c.collect());
    }

    @Test
    void countersAreExposedWithTheTotalSuffixAndTheRelaysOwnValues() {
        List<MetricFamilySamples> f = SnapshotCollector.render(snapshot(1, up("a", 32768)));
        MetricFamilySamples pause = f.stream().filter(x -> x.name.equals("gostats_gc_pause_seconds")).findFirst()
                .orElseThrow();
        assertEquals("gostats_gc_pause_seconds_total", pause.samples.get(0).name);
        assertEquals(0.5, pause.samples.get(0).value);
        assertEquals(java.util.Arrays.stream(io.gostats.relay.model.GoSeries.values()).filter(s -> s.prometheus != null)
                .count() + 3, f.size());
    }

    /**
     * Scrapes racing with cycles: in cycle k every task has k goroutines and there are k % 7 + 1 tasks, so a scrape
     * that mixed two cycles would show two values or a count that does not fit its value.
     */
    @Test
    void aScrapeDuringCyclesSeesOneWholeSnapshot() throws Exception {
        SnapshotCollector c = new SnapshotCollector();
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        Thread cycles = new Thread(() -> {
            for (int k = 1; k <= 20_000; k++) {
                TargetReport[] ts = new TargetReport[k % 7 + 1];
                for (int i = 0; i < ts.length; i++) {
                    ts[i] = withGoroutines(up("t" + i, 30000 + i), k);
                }
                c.update(snapshot(k, ts));
            }
            done.set(true);
        });
        cycles.start();
        int scrapes = 0;
        int distinct = 0;
        double last = -1;
        while (!done.get() || scrapes == 0) {
            List<MetricFamilySamples> fs = c.collect();
            var values = fs.stream().filter(f -> f.name.equals("gostats_goroutines"))
                    .flatMap(f -> f.samples.stream()).map(x -> x.value).distinct().toList();
            long ups = fs.stream().filter(f -> f.name.equals("gostats_up")).mapToLong(f -> f.samples.size()).sum();
            if (!values.isEmpty()) {
                assertEquals(1, values.size(), "one cycle's values: " + values);
                assertEquals((long) (values.get(0) % 7 + 1), ups, "cycle " + values.get(0));
                if (values.get(0) != last) {
                    distinct++;
                    last = values.get(0);
                }
            }
            scrapes++;
        }
        cycles.join();
        assertTrue(distinct > 1, "the scrapes saw several cycles: " + distinct + " in " + scrapes);
    }

    static TargetReport withGoroutines(TargetReport r, int goroutines) {
        var stats = StatsParser.parse(("{\"goroutine_num\":" + goroutines + "}").getBytes());
        return new TargetReport(r.target(), 1, true, Optional.empty(), "", Instant.EPOCH, Instant.EPOCH, Duration.ZERO,
                Optional.of(new TaskMetrics(stats, java.util.OptionalLong.of(0), java.util.OptionalDouble.of(0), false)), Map.of());
    }
}
