package io.gostats.relay.sink.otlp;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import io.gostats.relay.config.ConfigProperty;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.metrics.export.MetricExporter;

/**
 * What the sink sends where, resolved once at start-up from {@code relay.otlp.*}, then the OpenTelemetry environment
 * variables (the metrics-specific one first, as the specification orders them), then the defaults. A bad value stops
 * start-up naming the property or variable it came from. {@link #toString()} never shows header values.
 *
 * @param why the start-up log's reason the sink is on or off
 */
record OtlpSettings(boolean enabled, String why, Protocol protocol, String endpoint, Map<String, String> headers,
        boolean gzip, Duration timeout) {

    static final String MACKEREL_ENDPOINT = "https://otlp.mackerelio.com:4317";
    static final String MACKEREL_KEY_HEADER = "Mackerel-Api-Key";
    static final String MACKEREL_APIKEY = "MACKEREL_APIKEY";
    /** Mackerel's own exporter waits 10 s "because transport to Mackerel may take longer than 5 seconds". */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    enum Protocol {
        GRPC, HTTP_PROTOBUF
    }

    OtlpSettings {
        headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    static OtlpSettings off(String why) {
        return new OtlpSettings(false, why, Protocol.GRPC, "", Map.of(), false, DEFAULT_TIMEOUT);
    }

    /** @param env a variable by name (the environment, through the relay's configuration) */
    static OtlpSettings resolve(OtlpConfig c, Function<String, Optional<String>> env) {
        if (c.mackerel()) {
            return mackerel(c, env);
        }
        Setting endpoint = Setting.of("relay.otlp.endpoint", c.endpoint())
                .or("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", env).or("OTEL_EXPORTER_OTLP_ENDPOINT", env);
        boolean on = c.enabled().orElse(endpoint.value().isPresent());
        if (!on) {
            return off(c.enabled().isPresent() ? "relay.otlp.enabled=false" : "no relay.otlp.endpoint");
        }
        if (endpoint.value().isEmpty()) {
            throw new IllegalArgumentException("relay.otlp.enabled: true, but no relay.otlp.endpoint "
                    + "(or OTEL_EXPORTER_OTLP_ENDPOINT) is given");
        }
        Protocol protocol = protocol(Setting.of("relay.otlp.protocol", c.protocol())
                .or("OTEL_EXPORTER_OTLP_METRICS_PROTOCOL", env).or("OTEL_EXPORTER_OTLP_PROTOCOL", env));
        // a signal-specific variable is the full URL; a base URL gets the signal's path over HTTP (OTLP exporter spec)
        boolean full = endpoint.name().equals("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT");
        String url = url(endpoint.name(), endpoint.value().get(), protocol == Protocol.HTTP_PROTOBUF && !full);
        Setting headers = Setting.of("relay.otlp.headers", c.headers())
                .or("OTEL_EXPORTER_OTLP_METRICS_HEADERS", env).or("OTEL_EXPORTER_OTLP_HEADERS", env);
        Setting compression = Setting.of("relay.otlp.compression", c.compression())
                .or("OTEL_EXPORTER_OTLP_METRICS_COMPRESSION", env).or("OTEL_EXPORTER_OTLP_COMPRESSION", env);
        return new OtlpSettings(true, endpoint.name() + " is set", protocol, url,
                KeyValueList.parse(headers.name(), headers.value().orElse("")), gzip(compression), timeout(c, env));
    }

    private static OtlpSettings mackerel(OtlpConfig c, Function<String, Optional<String>> env) {
        if (c.enabled().isPresent() && !c.enabled().get()) {
            return off("relay.otlp.enabled=false");
        }
        String key = env.apply(MACKEREL_APIKEY).map(String::strip).filter(k -> !k.isEmpty())
                .orElseThrow(() -> new IllegalArgumentException("relay.otlp.mackerel: true, but MACKEREL_APIKEY "
                        + "(the organisation's API key, with write permission) is not set"));
        if (c.protocol().isPresent() && protocol(Setting.of("relay.otlp.protocol", c.protocol())) != Protocol.GRPC) {
            throw new IllegalArgumentException("relay.otlp.protocol: Mackerel takes labeled metrics over grpc only");
        }
        Map<String, String> headers = KeyValueList.parse("relay.otlp.headers", c.headers().orElse(""));
        headers.put(MACKEREL_KEY_HEADER, key);
        // relay.otlp.endpoint may still point the preset elsewhere (a proxy, a test receiver)
        String url = url("relay.otlp.endpoint", c.endpoint().orElse(MACKEREL_ENDPOINT), false);
        boolean gzip = c.compression().isEmpty() || gzip(Setting.of("relay.otlp.compression", c.compression()));
        return new OtlpSettings(true, "relay.otlp.mackerel=true", Protocol.GRPC, url, headers, gzip,
                c.timeout().map(t -> ConfigProperty.positive("relay.otlp.timeout", t)).orElse(DEFAULT_TIMEOUT));
    }

    private static Protocol protocol(Setting s) {
        String p = s.value().orElse("grpc").strip();
        return switch (p) {
            case "grpc" -> Protocol.GRPC;
            case "http/protobuf" -> Protocol.HTTP_PROTOBUF;
            default -> throw new IllegalArgumentException(s.name() + ": '" + p
                    + "' is not grpc or http/protobuf (http/json is not offered by the OpenTelemetry Java exporter)");
        };
    }

    private static boolean gzip(Setting s) {
        String v = s.value().orElse("none").strip();
        return switch (v) {
            case "gzip" -> true;
            case "none" -> false;
            default -> throw new IllegalArgumentException(s.name() + ": '" + v + "' is not gzip or none");
        };
    }

    private static Duration timeout(OtlpConfig c, Function<String, Optional<String>> env) {
        if (c.timeout().isPresent()) {
            return ConfigProperty.positive("relay.otlp.timeout", c.timeout().get());
        }
        Setting ms = Setting.of("OTEL_EXPORTER_OTLP_METRICS_TIMEOUT", env.apply("OTEL_EXPORTER_OTLP_METRICS_TIMEOUT"))
                .or("OTEL_EXPORTER_OTLP_TIMEOUT", env);
        return ms.value().map(v -> ConfigProperty.positive(ms.name(),
                ConfigProperty.parse(ms.name(), () -> Duration.ofMillis(Long.parseLong(v.strip())))))
                .orElse(DEFAULT_TIMEOUT);
    }

    /** An http(s) URL with a host; {@code /v1/metrics} appended to a base URL's path when asked. */
    private static String url(String name, String value, boolean appendPath) {
        URI uri = ConfigProperty.parse(name, () -> URI.create(value.strip()));
        if (uri.getScheme() == null || !uri.getScheme().matches("https?") || uri.getHost() == null) {
            throw new IllegalArgumentException(name + ": '" + value + "' is not an http:// or https:// URL with a host");
        }
        String s = uri.toString();
        return appendPath ? (s.endsWith("/") ? s : s + "/") + "v1/metrics" : s;
    }

    /**
     * The SDK's OTLP exporter for these settings, its own retry off: the sink retries (with backoff), splits what is
     * too large and keeps what failed. Headers come through a supplier, so the key stays here. Immutable data mode:
     * a kept request may be sent again.
     */
    MetricExporter exporter() {
        OtlpSettings s = this;
        Map<String, String> headers = s.headers();
        String compression = s.gzip() ? "gzip" : "none";
        return switch (s.protocol()) {
            case GRPC -> OtlpGrpcMetricExporter.builder().setEndpoint(s.endpoint()).setHeaders(() -> headers)
                    .setCompression(compression).setTimeout(s.timeout()).setConnectTimeout(s.timeout())
                    .setRetryPolicy(null).setMemoryMode(MemoryMode.IMMUTABLE_DATA).build();
            case HTTP_PROTOBUF -> OtlpHttpMetricExporter.builder().setEndpoint(s.endpoint()).setHeaders(() -> headers)
                    .setCompression(compression).setTimeout(s.timeout()).setConnectTimeout(s.timeout())
                    .setRetryPolicy(null).setMemoryMode(MemoryMode.IMMUTABLE_DATA).build();
        };
    }

    @Override
    public String toString() {
        return protocol.name().toLowerCase(java.util.Locale.ROOT).replace('_', '/') + " " + endpoint
                + (gzip ? " gzip" : "") + ", headers " + headers.keySet() + ", timeout " + timeout;
    }

    /** A value and where it came from, for the error message. */
    private record Setting(String name, Optional<String> value) {
        static Setting of(String name, Optional<String> value) {
            return new Setting(name, value.filter(v -> !v.isBlank()));
        }

        Setting or(String variable, Function<String, Optional<String>> env) {
            return value.isPresent() ? this : of(variable, env.apply(variable));
        }
    }
}
