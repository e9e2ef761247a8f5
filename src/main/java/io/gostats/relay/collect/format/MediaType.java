package io.gostats.relay.collect.format;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A Content-Type as far as format detection needs it: type/subtype and the parameters, lower-cased. Parameters
 * other than {@code version}, {@code encoding} and {@code proto} are ignored (client_golang ≥ 1.19 adds
 * {@code escaping=...}, charsets come and go).
 */
record MediaType(String type, Map<String, String> params) {

    /** Null or blank: null (no Content-Type). */
    static MediaType parse(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String[] parts = header.split(";");
        Map<String, String> params = new HashMap<>();
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq > 0) {
                String value = parts[i].substring(eq + 1).strip();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                params.put(parts[i].substring(0, eq).strip().toLowerCase(Locale.ROOT), value.toLowerCase(Locale.ROOT));
            }
        }
        return new MediaType(parts[0].strip().toLowerCase(Locale.ROOT), Map.copyOf(params));
    }

    boolean isJson() {
        return type.equals("application/json");
    }

    /** Text 0.0.4, or text/plain without a version (client_golang's answer to an Accept it does not know). */
    boolean isPrometheusText() {
        return type.equals("text/plain") && params.getOrDefault("version", "0.0.4").equals("0.0.4");
    }

    boolean isPrometheusProtobuf() {
        return type.equals("application/vnd.google.protobuf")
                && params.getOrDefault("proto", "").equals("io.prometheus.client.metricfamily")
                && params.getOrDefault("encoding", "").equals("delimited");
    }

    boolean isOpenMetrics() {
        return type.equals("application/openmetrics-text");
    }
}
