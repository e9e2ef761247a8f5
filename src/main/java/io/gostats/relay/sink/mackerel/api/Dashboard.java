package io.gostats.relay.sink.mackerel.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/** A dashboard as {@code /api/v0/dashboards} takes and gives it; {@code id} is null until Mackerel assigns one. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Dashboard(String id, String title, String memo, String urlPath, List<JsonNode> widgets) {
}
