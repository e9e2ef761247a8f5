package io.gostats.relay.sink.mackerel.api;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Body of {@code POST /api/v0/hosts}; role full names are {@code Service:role}, created if missing. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HostRegistration(String name, String customIdentifier, Map<String, Object> meta,
        List<String> roleFullnames) {

    public static HostRegistration of(String name, String customIdentifier, List<String> roleFullnames) {
        return new HostRegistration(name, customIdentifier, Map.of(), List.copyOf(roleFullnames));
    }

    /** The same, with {@code meta.agent-name}: the client that registered it, as mackerel-agent names itself there. */
    public static HostRegistration of(String name, String customIdentifier, List<String> roleFullnames,
            String agentName) {
        return new HostRegistration(name, customIdentifier, Map.of("agent-name", agentName),
                List.copyOf(roleFullnames));
    }
}
