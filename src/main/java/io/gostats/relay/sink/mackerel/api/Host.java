package io.gostats.relay.sink.mackerel.api;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The part of Mackerel's host object this relay reads; {@code roles} maps a service to its role names. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Host(String id, String name, String customIdentifier, @JsonProperty("isRetired") boolean retired,
        Map<String, List<String>> roles) {
}
