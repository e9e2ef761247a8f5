package io.gostats.relay.sink.mackerel.points;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.gostats.relay.TestData;
import io.gostats.relay.collect.container.ContainerStatsParser;
import io.gostats.relay.derive.ContainerDeriver;
import io.gostats.relay.model.Snapshot;
import io.gostats.relay.model.container.ContainerRead;
import io.gostats.relay.sink.mackerel.api.MetricValue;
import io.gostats.relay.sink.mackerel.graphs.GraphGroup;
import io.gostats.relay.sink.mackerel.keys.TaskKeys;
import io.gostats.relay.sink.mackerel.points.MackerelBatches.MinuteBatch;

/** What each graph group posts, and the per-task and per-host counts README's cost table gives. */
class GraphGroupBatchesTest {

    static final long T0 = MackerelBatchesTest.T0;

    private final ContainerDeriver deriver = new ContainerDeriver();

    Snapshot snapshot(long second, String gostats, String container) {
        Snapshot s = MackerelBatchesTest.snapshot(second, gostats);
        return s.withContainers(deriver.derive(List.of(new ContainerRead.Read(
                MackerelBatchesTest.TASK.identity().containerId(),
                ContainerStatsParser.parse(TestData.bytes("containerstats/" + container + ".json")))),
                List.of(MackerelBatchesTest.TASK), TestData.slots(List.of(MackerelBatchesTest.TASK))));
    }

    /** The second minute of one task on Docker (cgroup v1, a CFS quota): every figure there is. */
    MinuteBatch secondMinute(Set<GraphGroup> groups) {
        MackerelBatches batches = new MackerelBatches("gostats", false, new TaskKeys(null), 0, groups);
        batches.accept(snapshot(T0, "stats-churn.json", "docker-v1-a"));
        return batches.accept(snapshot(T0 + 60, "stats-pretty.json", "docker-v1-b")).orElseThrow();
    }

    static Set<String> names(MinuteBatch b) {
        return b.values().stream().map(MetricValue::name).collect(java.util.stream.Collectors.toSet());
    }

    @Test
    void aTaskWithItsContainerCosts37AndTheHost24() {
        MinuteBatch all = secondMinute(EnumSet.allOf(GraphGroup.class));
        assertEquals(Map.of(GraphGroup.GOSTATS, 15, GraphGroup.DOCKER, 16, GraphGroup.CONTAINER, 6,
                GraphGroup.HOST_SUMS, 17 + 7), all.perGroup());
        assertEquals(15 + 16 + 6 + 24, names(all).size(), "one value per distinct name");
    }

    @Test
    void theDefaultPostsTheGostatsMetricsAndTheHostsSumsContainersIncluded() {
        MinuteBatch b = secondMinute(GraphGroup.parse(List.of(GraphGroup.DEFAULT.split(","))));
        assertEquals(Map.of(GraphGroup.GOSTATS, 15, GraphGroup.HOST_SUMS, 24), b.perGroup());
        assertTrue(names(b).stream().noneMatch(n -> n.startsWith("custom.docker.")
                || n.startsWith("custom.gostats_container.")), names(b).toString());
        assertTrue(names(b).contains("custom.gostats_host.container_memory.usage"));
    }

    @Test
    void eachGroupAlone() {
        assertTrue(names(secondMinute(EnumSet.of(GraphGroup.DOCKER))).stream()
                .allMatch(n -> n.startsWith("custom.docker.")));
        assertTrue(names(secondMinute(EnumSet.of(GraphGroup.CONTAINER))).stream()
                .allMatch(n -> n.startsWith("custom.gostats_container.")));
        assertTrue(names(secondMinute(EnumSet.of(GraphGroup.HOST_SUMS))).stream()
                .allMatch(n -> n.startsWith("custom.gostats_host.")));
        Set<String> gostats = names(secondMinute(EnumSet.of(GraphGroup.GOSTATS)));
        assertEquals(15, gostats.size());
        assertTrue(gostats.stream().allMatch(n -> n.startsWith("custom.gostats.api-1.")), gostats.toString());
    }

    @Test
    void noGroupWithValuesMakesNoBatch() {
        MackerelBatches batches = new MackerelBatches("gostats", false, new TaskKeys(null), 0,
                EnumSet.of(GraphGroup.DOCKER));
        batches.accept(MackerelBatchesTest.snapshot(T0, "stats-churn.json"));
        assertTrue(batches.accept(MackerelBatchesTest.snapshot(T0 + 60, "stats-pretty.json")).isEmpty(),
                "docker alone, and no container read");
    }
}
