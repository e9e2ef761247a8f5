package io.gostats.relay.model;

import java.time.Instant;

/** Whether a target source works; {@code error} says why not ("" when up). */
public record SourceStatus(String source, boolean up, Instant since, String error) {
}
