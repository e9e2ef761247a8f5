package io.gostats.relay.sink.mackerel.graphs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.gostats.relay.TestData;
import io.gostats.relay.sink.mackerel.api.GraphDefinition;

class GraphSetsTest {

    @Test
    void wildcardDefinitionsAreThePluginsMetaOutputWithCustomPrepended() throws Exception {
        assertEquals(fromMeta("samples/gostats-meta-wildcard.txt"), GraphSets.gostatsWildcard("gostats"));
    }

    /** A plugin's meta output (MACKEREL_AGENT_PLUGIN_META=1) as mackerel-agent posts it: {@code custom.} prepended. */
    static List<GraphDefinition> fromMeta(String resource) {
        return AgentMeta.graphDefinitions(TestData.text(resource));
    }

    @Test
    void titleFollowsGoWordBreaking() {
        Map<String, String> cases = Map.of("gostats", "Gostats", "gostats.32768", "Gostats.32768", "gostats.#",
                "Gostats.#", "gostats.app", "Gostats.app", "gostats.my_app", "Gostats.my_app", "gostats.my-app",
                "Gostats.my-App", "gostats.#.x", "Gostats.#.X");
        cases.forEach((in, out) -> assertEquals(out, GraphSets.title(in), in));
    }

    @Test
    void graphDefinitionsHaveFixedNamesThatRoleGraphsCanShow() {
        List<GraphDefinition> defs = GraphSets.gostatsHostSums("gostats");
        assertEquals(6, defs.size());
        for (GraphDefinition d : defs) {
            assertTrue(d.name().matches("custom\\.gostats_host\\.[a-z]+"), d.name());
            d.metrics().forEach(m -> assertTrue(m.name().startsWith(d.name() + ".") && !m.name().contains("#")));
        }
        assertEquals("Gostats Host GC", defs.get(0).displayName());
    }
}
