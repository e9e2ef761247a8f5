package io.gostats.relay.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The format a target's reply came in. README's "Formats" table says which figures each carries. */
public enum SourceFormat {
    /** golang-stats-api-handler's JSON document ({@code /stats}). */
    GOSTATS,
    /** Prometheus client_golang's exposition ({@code /metrics}), delimited protobuf or text 0.0.4. */
    PROMETHEUS,
    /** The standard library's expvar ({@code /debug/vars}): {@code memstats} and what the application published. */
    EXPVAR;

    /** The value of {@code gostats.format} and {@code relay.collect.format} that lets each reply tell its format. */
    public static final String AUTO = "auto";

    /** The name used in labels, configuration and on the targets page. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * A configured choice: empty for {@code auto}, else the forced format.
     *
     * @throws IllegalArgumentException naming the values allowed
     */
    public static Optional<SourceFormat> choice(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (v.equals(AUTO)) {
            return Optional.empty();
        }
        return Optional.of(Arrays.stream(values()).filter(f -> f.label().equals(v)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("'" + value + "' is not one of " + AUTO + ", "
                        + Arrays.stream(values()).map(SourceFormat::label).collect(Collectors.joining(", ")))));
    }
}
