package io.gostats.relay.sink.mackerel.graphs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.gostats.relay.sink.mackerel.api.GraphDefinition;

class GraphGroupTest {

    static Set<String> names(List<GraphDefinition> defs) {
        return defs.stream().map(GraphDefinition::name).collect(java.util.stream.Collectors.toSet());
    }

    @Test
    void theDefaultLeavesThePerContainerGroupsOut() {
        assertEquals(EnumSet.of(GraphGroup.GOSTATS, GraphGroup.PROCESS, GraphGroup.HOST_SUMS),
                GraphGroup.parse(List.of(GraphGroup.DEFAULT.split(","))));
        assertEquals(EnumSet.allOf(GraphGroup.class),
                GraphGroup.parse(List.of(" Docker", "container ", "gostats", "process", "host-sums", "")));
    }

    @Test
    void anUnknownGroupNamesTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GraphGroup.parse(List.of("gostats", "containers")));
        assertEquals("unknown graph group 'containers'; the groups are gostats, process, container, docker, "
                + "host-sums", e.getMessage());
    }

    @Test
    void eachGroupPostsTheDefinitionsOfWhatItPosts() {
        List<GraphDefinition> all = GraphGroup.definitions("gostats", EnumSet.allOf(GraphGroup.class), true);
        assertEquals(5 + 3 + 6 + 9 + 4, all.size(),
                "gostats 5, process 3, host sums 6 (tasks too), container 9, container sums 4");
        assertEquals(names(GraphSets.gostatsWildcard("gostats")),
                names(GraphGroup.definitions("gostats", EnumSet.of(GraphGroup.GOSTATS), true)));
        assertEquals(names(GraphSets.processWildcard("gostats")),
                names(GraphGroup.definitions("gostats", EnumSet.of(GraphGroup.PROCESS), true)));
        Set<String> docker = names(GraphGroup.definitions("gostats", EnumSet.of(GraphGroup.DOCKER), true));
        assertEquals(6, docker.size());
        assertTrue(docker.stream().allMatch(n -> n.startsWith("custom.docker.")), docker.toString());
        Set<String> container = names(GraphGroup.definitions("gostats", EnumSet.of(GraphGroup.CONTAINER), true));
        assertEquals(Set.of("custom.gostats_container.network.#", "custom.gostats_container.memory.#",
                "custom.gostats_container.cpu_throttled.#"), container);
        Set<String> sums = names(GraphGroup.definitions("gostats", EnumSet.of(GraphGroup.HOST_SUMS), true));
        assertTrue(sums.contains("custom.gostats_host.container_cpu") && sums.contains("custom.gostats_host.gc"),
                sums.toString());
        assertEquals(6, GraphGroup.definitions("gostats", EnumSet.of(GraphGroup.HOST_SUMS), false).size(),
                "no container sums where containers are not read");
        assertEquals(List.of(), GraphGroup.definitions("gostats", EnumSet.of(GraphGroup.DOCKER), false));
    }
}
