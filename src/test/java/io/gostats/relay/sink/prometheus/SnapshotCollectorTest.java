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
import io.gostats.relay.collect.StatsParser;
import io.gostats.relay.derive.Snapshot;
import io.gostats.relay.derive.TargetReport;
import io.gostats.relay.derive.TaskMetrics;
import io.gostats.relay.discovery.TaskIdentity;
import io.gostats.relay.discovery.Target;
import io.prometheus.client.Collector.MetricFamilySamples;

class SnapshotCollectorTest {

    static TargetReport up(String container, int hostPort) {
        TaskIdentity id = TaskIdentity.of("id-" + container, container,
                Map.of("com.amazonaws.ecs.task-arn", "arn:aws:ecs:r:1:task/c/" + container + "0000",
                        "com.amazonaws.ecs.task-definition-family", "api"));
        Target t = new Target(id.containerId() + ":8080", "127.0.0.1", hostPort, "/stats", 8080, id);
        var stats = StatsParser.parse(TestData.bytes("samples/stats-churn.json"));
        return new TargetReport(t, true, Optional.empty(), "", Instant.EPOCH, Instant.EPOCH, Duration.ZERO,
                Optional.of(new TaskMetrics(stats, stats.gcNum(), 0.5, false)), Map.of());
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
        assertEquals(GoStatsMetric.ALL.size() + 3, f.size());
    }
}
