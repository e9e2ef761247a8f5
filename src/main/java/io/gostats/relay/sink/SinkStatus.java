package io.gostats.relay.sink;

import java.util.LinkedHashMap;
import java.util.Map;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * How one sink is doing, in terms any reader can render without knowing the sink: health shows {@code state} and
 * {@code details}, the targets page shows them too and puts {@code targetNames} (what the sink calls each target, by
 * target id, such as a Mackerel key) in its target rows. {@code up} false means the sink cannot deliver right now
 * (a refused key, an endpoint down, a property that needs fixing): the relay keeps running and says why in
 * {@code state}. {@code details} values are strings, numbers, booleans or null, in the order the sink gives them.
 */
@RegisterForReflection
public record SinkStatus(String name, boolean up, String state, Map<String, Object> details,
        Map<String, String> targetNames) {

    public SinkStatus {
        // LinkedHashMap copies keep the sink's order and allow null values (no time yet), unlike Map.copyOf
        details = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
        targetNames = Map.copyOf(targetNames);
    }

    public static SinkStatus up(String name, String state, Map<String, Object> details) {
        return new SinkStatus(name, true, state, details, Map.of());
    }

    public SinkStatus withTargetNames(Map<String, String> names) {
        return new SinkStatus(name, up, state, details, names);
    }
}
