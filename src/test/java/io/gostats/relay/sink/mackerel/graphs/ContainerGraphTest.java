package io.gostats.relay.sink.mackerel.graphs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Comparator;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.gostats.relay.sink.mackerel.api.GraphDefinition;
import io.gostats.relay.sink.mackerel.points.ContainerPointMetric;

class ContainerGraphTest {

    /** samples/docker-meta.txt: mackerel-plugin-docker's meta output (graph table of docker-stats.md, section 2). */
    @Test
    void dockerGraphsAreThePluginsMetaOutputWithCustomPrepended() throws Exception {
        List<GraphDefinition> docker = ContainerGraph.definitions("gostats").stream()
                .filter(g -> g.name().startsWith("custom.docker.")).sorted(Comparator.comparing(GraphDefinition::name))
                .toList();
        assertEquals(GraphSetsTest.fromMeta("samples/docker-meta.txt"), docker);
    }

    @Test
    void whatThePluginLacksIsUnderThePrefixWithTheTaskKeyAsWildcard() {
        List<String> names = ContainerGraph.definitions("app").stream()
                .filter(g -> !g.name().startsWith("custom.docker.")).flatMap(g -> g.metrics().stream())
                .map(GraphDefinition.Metric::name).toList();
        assertEquals(List.of("custom.app_container.network.#.rx", "custom.app_container.network.#.tx",
                "custom.app_container.memory.#.usage", "custom.app_container.memory.#.limit",
                "custom.app_container.cpu_throttled.#.time", "custom.app_container.cpu_throttled.#.periods"), names);
        assertEquals("custom.app_container.network.k-1.rx", ContainerGraph.NETWORK.name("app", "k-1", "rx"));
        assertEquals("custom.docker.blkio.io_serviced.k-1.read",
                ContainerGraph.DOCKER_IO_SERVICED.name("app", "k-1", "read"));
    }

    @Test
    void everyPostedValueHasAMetricInItsGraphDefinition() {
        for (ContainerPointMetric m : ContainerPointMetric.values()) {
            String def = m.graph.base("p") + ".#." + m.metric;
            assertEquals(1, ContainerGraph.definitions("p").stream().flatMap(g -> g.metrics().stream())
                    .filter(x -> x.name().equals(def)).count(), def);
        }
    }
}
