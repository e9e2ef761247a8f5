package io.gostats.relay.sink.mackerel.api;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The part of Mackerel's host object this relay reads; {@code roles} maps a service to its role names, {@code meta}
 * is what the registering client wrote (mackerel-agent: its {@code agent-name}, cpu, memory...).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Host(String id, String name, String customIdentifier, @JsonProperty("isRetired") boolean retired,
        Map<String, List<String>> roles, Map<String, Object> meta) {

    /** {@code Service:role} of every role the host is in. */
    public List<String> roleFullnames() {
        return roles == null ? List.of() : roles.entrySet().stream()
                .flatMap(e -> e.getValue().stream().map(role -> e.getKey() + ":" + role)).sorted().toList();
    }

    /** {@code meta.agent-name}: who registered the host and keeps its specs; empty when none says. */
    public String agentName() {
        return meta != null && meta.get("agent-name") instanceof String s ? s : "";
    }
}
