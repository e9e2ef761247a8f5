package io.gostats.relay.sink.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.gostats.relay.LogCapture;
import io.gostats.relay.TestData;
import io.gostats.relay.collect.format.StatsParser;
import io.gostats.relay.model.Snapshot;
import io.gostats.relay.model.TargetReport;
import io.gostats.relay.model.TaskMetrics;
import io.gostats.relay.model.TaskIdentity;
import io.gostats.relay.model.Target;
import io.gostats.relay.it.Exposition;

class SnapshotExpositionTest {

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

    static Exposition parse(SnapshotExposition.Text text) {
        return Exposition.parse(new String(text.bytes(), java.nio.charset.StandardCharsets.UTF_8));
    }

    static Exposition scrape(SnapshotExposition c) {
        return parse(c.text(false));
    }

    static List<String> tasks(Exposition e, String family) {
        return e.named(family).stream().map(s -> s.labels().get("task_id")).toList();
    }

    @Test
    void aTaskThatIsGoneHasNoSeriesInTheNextSnapshot() {
        SnapshotExposition c = new SnapshotExposition();
        c.update(snapshot(1, up("a", 32768), up("b", 32769)));
        assertEquals(List.of("a0000", "b0000"), tasks(scrape(c), "gostats_goroutines"));
        c.update(snapshot(2, up("b", 32769)));
        Exposition after = scrape(c);
        assertTrue(after.samples().stream().noneMatch(s -> s.labels().containsValue("a0000")), after.text());
        assertEquals(List.of("b0000"), tasks(after, "gostats_up"));
    }

    @Test
    void everyScrapeOfOneSnapshotSharesOneRendering() {
        SnapshotExposition c = new SnapshotExposition();
        c.update(snapshot(1, up("a", 32768)));
        assertSame(c.text(false), c.text(false));
        assertSame(c.text(true), c.text(true));
        assertEquals(c.text(false).samples(), c.samples());
    }

    @Test
    void countersAreExposedWithTheTotalSuffixAndTheRelaysOwnValues() {
        Exposition e = parse(SnapshotExposition.render(snapshot(1, up("a", 32768))));
        assertEquals(List.of(0.5), e.named("gostats_gc_pause_seconds_total").stream().map(Exposition.Sample::value)
                .toList());
        assertEquals("counter", e.types().get("gostats_gc_pause_seconds_total"));
        assertEquals(java.util.Arrays.stream(io.gostats.relay.model.GoSeries.values()).filter(s -> s.prometheus != null)
                .count() + 3, e.types().size());
    }

    /**
     * Scrapes racing with cycles: in cycle k every task has k goroutines and there are k % 7 + 1 tasks, so a scrape
     * that mixed two cycles would show two values or a count that does not fit its value.
     */
    @Test
    void aScrapeDuringCyclesSeesOneWholeSnapshot() throws Exception {
        SnapshotExposition c = new SnapshotExposition();
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
            Exposition fs = scrape(c);
            var values = fs.named("gostats_goroutines").stream().map(Exposition.Sample::value).distinct().toList();
            long ups = fs.named("gostats_up").size();
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

    static TargetReport slotted(TargetReport r, int slot) {
        return new TargetReport(r.target(), slot, r.up(), r.failure(), r.detail(), r.since(), r.fetchedAt(),
                r.took(), r.metrics(), r.failures());
    }

    static List<Map<String, String>> labelsOf(Exposition e, String family) {
        return e.named(family).stream().map(Exposition.Sample::labels).toList();
    }

    @Test
    void taskSeriesCarryEveryLabelAndTheSlot() {
        Exposition f = parse(SnapshotExposition.render(snapshot(1, slotted(up("a", 32768), 3))));
        Map<String, String> l = labelsOf(f, "gostats_goroutines").get(0);
        assertEquals(LABELS_WITH_SLOT, List.copyOf(l.keySet()));
        assertEquals("3", l.get("slot"));
        assertEquals("127.0.0.1:32768", l.get("target"));
    }

    static final List<String> LABELS_WITH_SLOT = List.of("target", "port", "container", "task_id", "task_family",
            "task_revision", "ecs_container", "cluster", "slot");

    @Test
    void slotSeriesLeaveOutWhatADeployChangesSoAReplacementContinuesThem() {
        SnapshotExposition c = new SnapshotExposition(SeriesLabels.SLOT);
        c.update(snapshot(1, slotted(up("a", 32768), 1), slotted(up("b", 32769), 2)));
        List<Map<String, String>> before = labelsOf(scrape(c), "gostats_goroutines");
        assertEquals(List.of(Map.of("port", "8080", "task_family", "api", "ecs_container", "", "cluster", "",
                "slot", "1"), Map.of("port", "8080", "task_family", "api", "ecs_container", "", "cluster", "",
                "slot", "2")), before);
        assertEquals(List.of("port", "task_family", "ecs_container", "cluster", "slot"),
                List.copyOf(before.get(0).keySet()));
        // task a replaced by task c, on another host port, which took its slot
        c.update(snapshot(2, slotted(up("b", 32769), 2), slotted(up("c", 32790), 1)));
        assertEquals(Set.copyOf(before), Set.copyOf(labelsOf(scrape(c), "gostats_goroutines")));
        assertEquals(Set.copyOf(before), Set.copyOf(labelsOf(scrape(c), "gostats_up")));
        Map<String, String> info = labelsOf(scrape(c), "gostats_info").get(0);
        assertEquals("gostats", info.get("format"));
        assertTrue(!info.containsKey("task_id") && !info.containsKey("target") && !info.containsKey("container")
                && !info.containsKey("task_revision"), info.toString());
        assertEquals(0, c.collided());
    }

    static TargetReport plain(String container, int hostPort, Map<String, String> labels) {
        TaskIdentity id = TaskIdentity.of("id-" + container, container, labels);
        Target t = new Target(id.containerId() + ":8080", "127.0.0.1", hostPort, "/stats", 8080, id);
        return new TargetReport(t, 1, true, Optional.empty(), "", Instant.EPOCH, Instant.EPOCH, Duration.ZERO,
                up("x", hostPort).metrics(), Map.of());
    }

    /**
     * Containers ECS did not start, without gostats.group, on one container port: each is its own family holding
     * slot 1, so their slot labels are one set. They keep the task labels, and an error says so once.
     */
    @Test
    void slotLabelsThatCollideFallBackToTheTaskLabelsWithOneError() {
        SnapshotExposition c = new SnapshotExposition(SeriesLabels.SLOT);
        TargetReport web = plain("web", 32768, Map.of());
        TargetReport api = plain("api", 32769, Map.of());
        TargetReport grouped = plain("batch-7f3a", 32770, Map.of("gostats.group", "batch"));
        try (LogCapture log = LogCapture.of(TaskLabels.class)) {
            for (int seq = 1; seq <= 3; seq++) {
                c.update(snapshot(seq, web, api, grouped));
                List<Map<String, String>> up = labelsOf(scrape(c), "gostats_up");
                assertEquals(3, up.size(), "no target is lost");
                assertEquals(3, Set.copyOf(up).size(), "no two series share labels: " + up);
                assertEquals(Set.of("127.0.0.1:32768", "127.0.0.1:32769"), up.stream()
                        .map(l -> l.get("target")).filter(java.util.Objects::nonNull).collect(
                                java.util.stream.Collectors.toSet()));
                assertEquals(Map.of("port", "8080", "task_family", "batch", "ecs_container", "", "cluster", "",
                        "slot", "1"), up.stream().filter(l -> !l.containsKey("target")).findFirst().orElseThrow(),
                        "a gostats.group tells a plain container's family");
            }
            assertEquals(1, log.warnings().size(), log.warnings().toString());
            String error = log.warnings().get(0);
            assertTrue(error.contains("relay.prometheus.series") && error.contains("id-web:8080")
                    && error.contains("id-api:8080") && error.contains("gostats.group"), error);
        }
        assertEquals(2, c.collided());
        c.update(snapshot(4, web, grouped));
        scrape(c);
        assertEquals(0, c.collided(), "the collision is over");
    }

    @Test
    void theSeriesPropertyIsTaskOrSlot() {
        assertEquals(SeriesLabels.SLOT, SeriesLabels.parse(" Slot "));
        assertEquals(SeriesLabels.TASK, SeriesLabels.parse("task"));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> SeriesLabels.parse("slots"));
        assertTrue(e.getMessage().startsWith("relay.prometheus.series: 'slots'"), e.getMessage());
    }

    /** Label values are escaped as the format asks, and a value outside ASCII stays UTF-8. */
    @Test
    void labelValuesAreEscapedAndUtf8() {
        TargetReport odd = plain("we\"ird\\na\nme-\u00e9", 32768, Map.of("com.amazonaws.ecs.cluster", "c\u00e9\"1"));
        Exposition e = parse(SnapshotExposition.render(snapshot(1, odd)));
        Map<String, String> l = e.named("gostats_up").get(0).labels();
        assertEquals("we\"ird\\na\nme-\u00e9", l.get("container"));
        assertEquals("c\u00e9\"1", l.get("cluster"));
        assertTrue(e.text().contains("container=\"we\\\"ird\\\\na\\nme-\u00e9\""), e.text());
    }

    /** Whole numbers are written without a fraction, others as Java writes them; both read back exactly. */
    @Test
    void valuesReadBackExactly() {
        double[] values = { 0, 1, 7, 123_456_789_012L, 0.5, 1e-9, 2.5e17, 1234.000001 };
        for (double v : values) {
            ExpositionText t = new ExpositionText(false, 0);
            t.family("x", false, "help");
            t.sample("x", ExpositionText.labels(List.of("a"), List.of("b")), v);
            Exposition e = Exposition.parse(new String(t.toByteArray(), java.nio.charset.StandardCharsets.UTF_8));
            assertEquals(v, e.named("x").get(0).value(), e.text());
        }
        ExpositionText t = new ExpositionText(false, 0);
        t.sample("x", ExpositionText.labels(List.of("a"), List.of("b")), 42);
        assertEquals("x{a=\"b\"} 42\n", new String(t.toByteArray(), java.nio.charset.StandardCharsets.UTF_8));
    }

    /** OpenMetrics names a counter family without _total; its samples keep it. The rest is the same text. */
    @Test
    void openMetricsDiffersOnlyInCounterFamilyNames() {
        SnapshotExposition c = new SnapshotExposition();
        c.update(snapshot(1, up("a", 32768)));
        Exposition text = parse(c.text(false));
        Exposition om = parse(c.text(true));
        assertEquals("counter", om.types().get("gostats_gc_pause_seconds"));
        assertEquals("counter", text.types().get("gostats_gc_pause_seconds_total"));
        assertEquals(text.samples(), om.samples());
        assertEquals(c.text(false).samples(), text.samples().size());
    }
}
