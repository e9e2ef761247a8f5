package io.gostats.relay.sink.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** relay.otlp.* and the OpenTelemetry variables, by the specification's rules; bad values stop start-up, named. */
class OtlpSettingsTest {

    private static final Map<String, String> NONE = Map.of();

    @Test
    void offWithoutAnEndpoint() {
        OtlpSettings s = Sinks.settings(NONE);
        assertFalse(s.enabled());
        assertEquals("no relay.otlp.endpoint", s.why());
        assertFalse(Sinks.settings(NONE, "relay.otlp.endpoint", "http://c:4317", "relay.otlp.enabled", "false")
                .enabled());
    }

    @Test
    void aBaseUrlGetsTheSignalPathOverHttpOnly() {
        assertEquals("http://collector:4318/v1/metrics", Sinks.settings(NONE, "relay.otlp.endpoint",
                "http://collector:4318", "relay.otlp.protocol", "http/protobuf").endpoint());
        assertEquals("https://gw.example/otlp/v1/metrics", Sinks.settings(NONE, "relay.otlp.endpoint",
                "https://gw.example/otlp/", "relay.otlp.protocol", "http/protobuf").endpoint());
        OtlpSettings grpc = Sinks.settings(NONE, "relay.otlp.endpoint", "http://collector:4317");
        assertEquals("http://collector:4317", grpc.endpoint());
        assertEquals(OtlpSettings.Protocol.GRPC, grpc.protocol(), "grpc by default");
    }

    @Test
    void theVariablesFillWhatIsNotSetMetricsSpecificFirst() {
        Map<String, String> env = Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://base:4318",
                "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf", "OTEL_EXPORTER_OTLP_HEADERS", "a=1",
                "OTEL_EXPORTER_OTLP_METRICS_HEADERS", "b=2", "OTEL_EXPORTER_OTLP_COMPRESSION", "gzip",
                "OTEL_EXPORTER_OTLP_TIMEOUT", "2500");
        OtlpSettings s = Sinks.settings(env);
        assertTrue(s.enabled());
        assertEquals("OTEL_EXPORTER_OTLP_ENDPOINT is set", s.why());
        assertEquals("http://base:4318/v1/metrics", s.endpoint());
        assertEquals(Map.of("b", "2"), s.headers());
        assertTrue(s.gzip());
        assertEquals(Duration.ofMillis(2500), s.timeout());
        Map<String, String> full = Map.of("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "http://m:4318/custom",
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://base:4318", "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
        assertEquals("http://m:4318/custom", Sinks.settings(full).endpoint(), "used as it is");
        assertEquals("http://mine:4317", Sinks.settings(full, "relay.otlp.endpoint", "http://mine:4317",
                "relay.otlp.protocol", "grpc").endpoint(), "the relay's property first");
    }

    @Test
    void headersArePercentDecodedAndMayHoldEquals() {
        OtlpSettings s = Sinks.settings(NONE, "relay.otlp.endpoint", "http://c:4317", "relay.otlp.headers",
                " Authorization = Basic%20dXNlcjp0b2tlbg== , x-scope=a=b%2Cc ,plus=1+1");
        assertEquals(Map.of("Authorization", "Basic dXNlcjp0b2tlbg==", "x-scope", "a=b,c", "plus", "1+1"),
                s.headers());
        assertFalse(s.toString().contains("dXNlcjp0b2tlbg"), "values never shown: " + s);
    }

    @Test
    void theMackerelPreset() {
        OtlpSettings s = Sinks.settings(Map.of("MACKEREL_APIKEY", " key ", "OTEL_EXPORTER_OTLP_ENDPOINT",
                "http://elsewhere:4318", "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"), "relay.otlp.mackerel", "true");
        assertEquals("https://otlp.mackerelio.com:4317", s.endpoint());
        assertEquals(OtlpSettings.Protocol.GRPC, s.protocol());
        assertTrue(s.gzip());
        assertEquals(Map.of("Mackerel-Api-Key", "key"), s.headers());
        assertEquals(Duration.ofSeconds(10), s.timeout());
        assertFalse(s.toString().contains("key,") || s.toString().contains(" key"), s.toString());
    }

    private static void assertStartupError(String property, Runnable start) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, start::run);
        assertTrue(e.getMessage().startsWith(property + ": "), e.getMessage());
    }

    @Test
    void badValuesStopStartUpNamingTheProperty() {
        assertStartupError("relay.otlp.mackerel", () -> Sinks.settings(NONE, "relay.otlp.mackerel", "true"));
        assertStartupError("relay.otlp.protocol", () -> Sinks.settings(Map.of("MACKEREL_APIKEY", "k"),
                "relay.otlp.mackerel", "true", "relay.otlp.protocol", "http/protobuf"));
        assertStartupError("relay.otlp.protocol", () -> Sinks.settings(NONE, "relay.otlp.endpoint", "http://c:1",
                "relay.otlp.protocol", "http/json"));
        assertStartupError("OTEL_EXPORTER_OTLP_PROTOCOL", () -> Sinks.settings(Map.of(
                "OTEL_EXPORTER_OTLP_PROTOCOL", "udp"), "relay.otlp.endpoint", "http://c:1"));
        assertStartupError("relay.otlp.endpoint", () -> Sinks.settings(NONE, "relay.otlp.endpoint", "c:4317"));
        assertStartupError("OTEL_EXPORTER_OTLP_ENDPOINT", () -> Sinks.settings(Map.of(
                "OTEL_EXPORTER_OTLP_ENDPOINT", "ftp://c")));
        assertStartupError("relay.otlp.enabled", () -> Sinks.settings(NONE, "relay.otlp.enabled", "true"));
        assertStartupError("relay.otlp.compression", () -> Sinks.settings(NONE, "relay.otlp.endpoint",
                "http://c:1", "relay.otlp.compression", "zstd"));
        assertStartupError("OTEL_EXPORTER_OTLP_TIMEOUT", () -> Sinks.settings(Map.of("OTEL_EXPORTER_OTLP_TIMEOUT",
                "10s"), "relay.otlp.endpoint", "http://c:1"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sinks.settings(NONE,
                "relay.otlp.endpoint", "http://c:1", "relay.otlp.headers", "a=ok,secret%zz"));
        assertTrue(e.getMessage().startsWith("relay.otlp.headers: "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Sinks.settings(NONE,
                "relay.otlp.endpoint", "http://c:1", "relay.otlp.headers", "k=se%zzcret"));
        assertFalse(e.getMessage().contains("se%zzcret"), "never the value: " + e.getMessage());
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        assertStartupError("relay.otlp.interval", () -> new OtlpSink(Sinks.config("relay.otlp.interval", "500ms"),
                meters, n -> Optional.empty(), null));
        assertStartupError("relay.otlp.max-request-size", () -> new OtlpSink(Sinks.config(
                "relay.otlp.max-request-size", "1000"), meters, n -> Optional.empty(), null));
        assertStartupError("relay.otlp.buffer", () -> new OtlpSink(Sinks.config("relay.otlp.buffer", "0s"),
                meters, n -> Optional.empty(), null));
        assertStartupError("relay.otlp.resource-attributes", () -> new OtlpSink(Sinks.config(
                "relay.otlp.resource-attributes", "novalue"), meters, n -> Optional.empty(), null));
    }
}
