package io.gostats.relay.sink.mackerel.graphs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.gostats.relay.sink.mackerel.api.GraphDefinition;

/** mackerel-agent's reading of a plugin's meta output: the graph definitions it posts (gostats.md, section C). */
public final class AgentMeta {

    private AgentMeta() {
    }

    /** @throws IllegalArgumentException when the first line is not the meta header */
    public static List<GraphDefinition> graphDefinitions(String metaOutput) {
        List<String> lines = metaOutput.lines().toList();
        if (lines.isEmpty() || !lines.get(0).equals("# mackerel-agent-plugin")) {
            throw new IllegalArgumentException("no meta header: " + metaOutput);
        }
        JsonNode graphs;
        try {
            graphs = new ObjectMapper().readTree(lines.get(1)).get("graphs");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<GraphDefinition> defs = new ArrayList<>();
        graphs.fields().forEachRemaining(e -> {
            String name = "custom." + e.getKey();
            List<GraphDefinition.Metric> metrics = new ArrayList<>();
            e.getValue().get("metrics").forEach(m -> metrics.add(new GraphDefinition.Metric(
                    name + "." + m.get("name").asText(), m.get("label").asText(), m.get("stacked").asBoolean())));
            defs.add(new GraphDefinition(name, e.getValue().get("label").asText(), e.getValue().get("unit").asText(),
                    metrics));
        });
        return defs;
    }
}
