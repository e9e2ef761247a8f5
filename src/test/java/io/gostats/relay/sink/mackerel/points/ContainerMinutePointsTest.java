package io.gostats.relay.sink.mackerel.points;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.gostats.relay.TestData;
import io.gostats.relay.collect.container.ContainerStatsParser;
import io.gostats.relay.derive.ContainerDeriver;
import io.gostats.relay.model.FailureReason;
import io.gostats.relay.model.Snapshot;
import io.gostats.relay.model.Target;
import io.gostats.relay.model.TargetReport;
import io.gostats.relay.model.container.ContainerRead;
import io.gostats.relay.model.container.ContainerReport;
import io.gostats.relay.sink.mackerel.keys.Targets;
import io.gostats.relay.sink.mackerel.keys.TaskKeys;

class ContainerMinutePointsTest {

    static final double E = 1e-6;
    static final long T0 = MackerelBatchesTest.T0;

    private final ContainerDeriver deriver = new ContainerDeriver();

    Snapshot snapshot(long second, String gostatsSample, String containerSample, Target... targets) {
        Snapshot s = MackerelBatchesTest.snapshot(second, gostatsSample);
        List<Target> all = targets.length == 0 ? List.of(MackerelBatchesTest.TASK) : List.of(targets);
        List<ContainerReport> c = deriver.derive(List.of(new ContainerRead.Read(all.get(0).identity().containerId(),
                ContainerStatsParser.parse(TestData.bytes("containerstats/" + containerSample + ".json")))), all,
                TestData.slots(all));
        return s.withContainers(c);
    }

    @Test
    void thePluginsGraphsAndTheRelaysUnderTheTasksGostatsKey() {
        MackerelBatches batches = new MackerelBatches("gostats", false, new TaskKeys(null), 0);
        Map<String, Double> first = MackerelBatchesTest.byName(batches.accept(
                snapshot(T0, "stats-churn.json", "docker-v1-a")).orElseThrow());
        // gauges from the first read; no rates yet
        assertEquals(100_000_000.0, first.get("custom.docker.memory.api-1.cache"));
        assertEquals(150_000_000.0, first.get("custom.docker.memory.api-1.rss"));
        assertEquals(2.0, first.get("custom.docker.blkio.io_queued.api-1.write"));
        assertFalse(first.containsKey("custom.docker.cpuacct_percentage.api-1.user"));

        Map<String, Double> v = MackerelBatchesTest.byName(batches.accept(
                snapshot(T0 + 60, "stats-pretty.json", "docker-v1-b")).orElseThrow());
        assertTrue(v.containsKey("custom.gostats.api-1.memory.memory_sys"), "the same key as the gostats metrics");
        assertEquals(50, v.get("custom.docker.cpuacct_percentage.api-1.user"), E);
        assertEquals(10, v.get("custom.docker.cpuacct_percentage.api-1.system"), E);
        assertEquals(600 / 60.0, v.get("custom.docker.blkio.io_serviced.api-1.read"), E, "ops per second");
        assertEquals(6_000_000, v.get("custom.docker.blkio.io_service_bytes.api-1.read"), E, "per minute");
        assertEquals(0, v.get("custom.docker.blkio.io_service_bytes.api-1.write"), E);
        assertEquals(100_000, v.get("custom.gostats_container.network.api-1.rx"), E);
        assertEquals(200_000, v.get("custom.gostats_container.network.api-1.tx"), E);
        assertEquals(260_000_000, v.get("custom.gostats_container.memory.api-1.usage"), E);
        assertEquals(536_870_912, v.get("custom.gostats_container.memory.api-1.limit"), E);
        assertEquals(5, v.get("custom.gostats_container.cpu_throttled.api-1.time"), E);
        assertEquals(120.0 / 600 * 100, v.get("custom.gostats_container.cpu_throttled.api-1.periods"), E);
        assertFalse(v.keySet().stream().anyMatch(n -> n.startsWith("custom.docker.cpuacct.")),
                "raw CPU counters only with the plugin's -cpu-format usage");
        assertEquals(60, v.get("custom.gostats_host.container_cpu.user") + v.get(
                "custom.gostats_host.container_cpu.system"), E);
        assertEquals(100_000, v.get("custom.gostats_host.container_network.rx"), E);
        assertEquals(100_000, v.get("custom.gostats_host.container_blkio.read"), E);
    }

    @Test
    void cgroupV2GivesTheBytesThePluginMissesAndNothingForWhatIsNotReported() {
        Map<ContainerPointMetric, Double> v = ContainerMinutePoints.point(null, deriver.derive(List.of(new ContainerRead.Read("c1", ContainerStatsParser.parse(TestData.bytes(
                        "containerstats/docker-v2-a.json")))), List.of(MackerelBatchesTest.TASK),
                        TestData.slots(List.of(MackerelBatchesTest.TASK))).get(0).metrics());
        assertEquals(70_000_000, v.get(ContainerPointMetric.MEMORY_CACHE), E);
        assertEquals(120_000_000, v.get(ContainerPointMetric.MEMORY_RSS), E);
        assertFalse(v.containsKey(ContainerPointMetric.QUEUED_READ));
        assertFalse(v.containsKey(ContainerPointMetric.THROTTLED_TIME));
    }

    @Test
    void aContainerWithTwoWatchedPortsHasOneSetUnderItsFirstTargetsKey() {
        Target p8080 = Targets.ecs("c9", "multi", "0123456789abcdef0123456789abcdef", 8080, 32000);
        Target p9090 = Targets.ecs("c9", "multi", "0123456789abcdef0123456789abcdef", 9090, 32001);
        MackerelBatches batches = new MackerelBatches("gostats", false, new TaskKeys(null), 0);
        List<ContainerReport> c = snapshot(T0, "stats-churn.json", "docker-v1-a", p9090, p8080).containers();
        assertEquals(1, c.size());
        // both /stats fetches failed this minute: the container's figures are posted all the same
        List<TargetReport> down = List.of(down(p8080), down(p9090));
        Map<String, Double> v = MackerelBatchesTest.byName(batches.accept(
                new Snapshot(1, Instant.ofEpochSecond(T0), Duration.ZERO, down, List.of(), c)).orElseThrow());
        List<String> memory = v.keySet().stream().filter(n -> n.startsWith("custom.docker.memory.")).toList();
        assertEquals(List.of("custom.docker.memory.multi-8080-1.cache", "custom.docker.memory.multi-8080-1.rss"),
                memory);
    }

    @Test
    void aMinuteWhoseSecondZeroWasSkippedClosesAtItsFirstCycle() {
        MackerelBatches batches = new MackerelBatches("gostats", false, new TaskKeys(null), 0);
        assertTrue(batches.accept(snapshot(T0 + 10, "stats-churn.json", "docker-v1-a")).isEmpty(), "the baseline");
        assertTrue(batches.accept(snapshot(T0 + 50, "stats-churn.json", "docker-v1-a")).isEmpty());
        Map<String, Double> v = MackerelBatchesTest.byName(batches.accept(
                snapshot(T0 + 70, "stats-pretty.json", "docker-v1-b")).orElseThrow());
        assertEquals(50, v.get("custom.docker.cpuacct_percentage.api-1.user"), E, "over the engine's read times");
    }

    static TargetReport down(Target t) {
        return new TargetReport(t, 1, false, Optional.of(FailureReason.REFUSED), "refused", Instant.EPOCH,
                Instant.EPOCH,
                Duration.ZERO, Optional.empty(), Map.of());
    }
}
