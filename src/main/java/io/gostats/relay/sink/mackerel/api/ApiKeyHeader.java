package io.gostats.relay.sink.mackerel.api;

import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;

/** Adds {@code X-Api-Key} to every request. The only holder of the key; it never shows it. */
final class ApiKeyHeader implements ClientRequestFilter {

    static final String NAME = "X-Api-Key";

    private final String key;

    ApiKeyHeader(String key) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("Mackerel API key is empty");
        }
        if (key.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
            throw new IllegalArgumentException(
                    "Mackerel API key contains whitespace or characters not allowed in an HTTP header");
        }
        this.key = key;
    }

    @Override
    public void filter(ClientRequestContext request) {
        request.getHeaders().putSingle(NAME, key);
    }

    /** {@code text} with every occurrence of the key masked: for text that comes from outside, like error bodies. */
    String redact(String text) {
        return text == null ? null : text.replace(key, "<api key>");
    }

    @Override
    public String toString() {
        return NAME + ": <hidden>";
    }
}
