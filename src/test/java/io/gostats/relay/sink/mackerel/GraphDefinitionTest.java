package io.gostats.relay.sink.mackerel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.gostats.relay.TestData;

class GraphDefinitionTest {

    @Test
    void wildcardDefinitionsAreThePluginsMetaOutputWithCustomPrepended() throws Exception {
        assertEquals(fromMeta("samples/gostats-meta-wildcard.txt"), GraphDefinition.gostatsWildcard("gostats"));
    }

    /** A plugin's meta output (MACKEREL_AGENT_PLUGIN_META=1) as mackerel-agent posts it: {@code custom.} prepended. */
    static List<GraphDefinition> fromMeta(String resource) throws Exception {
        String meta = TestData.text(resource);
        assertEquals("# mackerel-agent-plugin", meta.lines().findFirst().orElseThrow());
        JsonNode graphs = new ObjectMapper().readTree(meta.lines().skip(1).findFirst().orElseThrow()).get("graphs");
        List<GraphDefinition> expected = new ArrayList<>();
        graphs.fields().forEachRemaining(e -> {
            String name = "custom." + e.getKey();
            List<GraphDefinition.Metric> metrics = new ArrayList<>();
            e.getValue().get("metrics").forEach(m -> metrics.add(new GraphDefinition.Metric(
                    name + "." + m.get("name").asText(), m.get("label").asText(), m.get("stacked").asBoolean())));
            expected.add(new GraphDefinition(name, e.getValue().get("label").asText(),
                    e.getValue().get("unit").asText(), metrics));
        });
        return expected;
    }

    @Test
    void titleFollowsGoWordBreaking() {
        Map<String, String> cases = Map.of("gostats", "Gostats", "gostats.32768", "Gostats.32768", "gostats.#",
                "Gostats.#", "gostats.app", "Gostats.app", "gostats.my_app", "Gostats.my_app", "gostats.my-app",
                "Gostats.my-App", "gostats.#.x", "Gostats.#.X");
        cases.forEach((in, out) -> assertEquals(out, GraphDefinition.title(in), in));
    }
}
