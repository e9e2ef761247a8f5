package io.gostats.relay.sink.otlp;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The OpenTelemetry environment format of OTEL_EXPORTER_OTLP_HEADERS and OTEL_RESOURCE_ATTRIBUTES: {@code key=value}
 * pairs separated by commas, keys and values trimmed, values percent-decoded (the W3C Baggage octet rules the
 * specification refers to). A value may contain {@code =}: a pair splits at its first one. The OpenTelemetry Java SDK
 * (autoconfigure) decodes the same way; unlike its URLDecoder call, a {@code +} stays a plus here, since percent-encoding
 * (RFC 3986) has no space-as-plus. Error messages never quote a value: headers carry secrets.
 */
final class KeyValueList {

    private KeyValueList() {
    }

    static Map<String, String> parse(String property, String list) {
        Map<String, String> out = new LinkedHashMap<>();
        if (list == null || list.isBlank()) {
            return out;
        }
        int n = 0;
        for (String pair : list.split(",")) {
            n++;
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = eq < 0 ? "" : pair.substring(0, eq).strip();
            if (key.isEmpty()) {
                throw new IllegalArgumentException(property + ": entry " + n + " is not key=value");
            }
            out.put(key, decode(property, key, pair.substring(eq + 1).strip()));
        }
        return out;
    }

    private static String decode(String property, String key, String value) {
        try {
            return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(property + ": the value of " + key + " has a bad percent-encoding");
        }
    }
}
