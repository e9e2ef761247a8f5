package io.gostats.relay;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.gostats.relay.collect.Collector;
import io.gostats.relay.discovery.Discovery;
import io.gostats.relay.sink.mackerel.MackerelSink;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.gostats.relay.config.RelayConfig;
import io.gostats.relay.cycle.Relay;

/** Bad configuration stops start-up with an error that names the property. */
public class ConfigErrorsTest {

    /** The relay's configuration from these properties alone (and the defaults), as start-up would map it. */
    public static RelayConfig config(String... keyValues) {
        return config(RelayConfig.class, keyValues);
    }

    /** Any {@code @ConfigMapping} of the relay (each sink and reader has its own) from these properties alone. */
    public static <T> T config(Class<T> mapping, String... keyValues) {
        Map<String, String> props = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put(keyValues[i], keyValues[i + 1]);
        }
        return new SmallRyeConfigBuilder()
                .withMapping(mapping)
                .withConverter(MemorySize.class, 100, new MemorySizeConverter())
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(props, "test", 500))
                .build().getConfigMapping(mapping);
    }

    static void assertStartupError(String property, Runnable start) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, start::run);
        assertTrue(e.getMessage().startsWith(property + ": "), e.getMessage());
    }

    /** The error names the property and shows the bad value. */
    static void assertStartupError(String property, String badValue, Runnable start) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, start::run);
        assertTrue(e.getMessage().startsWith(property + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(badValue), "shows '" + badValue + "': " + e.getMessage());
    }

    /** A value that does not convert (a duration, a number, a size) is refused while the mapping is built. */
    static void assertUnconvertible(String property, String badValue) {
        RuntimeException e = assertThrows(RuntimeException.class, () -> config(property, badValue).interval());
        String all = e.getMessage() + (e.getCause() == null ? "" : " " + e.getCause().getMessage());
        assertTrue(all.contains(property) && all.contains(badValue), all);
    }

    @Test
    void valuesThatDoNotConvert() {
        assertUnconvertible("relay.interval", "1 minute");
        assertUnconvertible("relay.collect.timeout", "5 sec");
        assertUnconvertible("relay.discovery.docker.timeout", "soon");
        assertUnconvertible("relay.collect.concurrency", "many");
        assertUnconvertible("relay.collect.max-body-size", "1 MB");
        assertUnconvertible("relay.mackerel.graph-defs-every", "3 hours");
    }

    /** Discovery as the relay builds it: with the Docker connection (which checks the Docker properties). */
    static Discovery discovery(io.gostats.relay.config.RelayConfig config) {
        return new Discovery(config, new io.gostats.relay.docker.DockerConnection(config));
    }

    @Test
    void durationsMustBePositive() {
        assertStartupError("relay.interval", "PT0.5S", () -> new Relay(config("relay.interval", "500ms"), null, null,
                null, null, null));
        assertStartupError("relay.interval", "PT-1M", () -> new Relay(config("relay.interval", "-1m"), null, null,
                null, null, null));
        assertStartupError("relay.collect.timeout", "PT-5S", () -> new Collector(config("relay.collect.timeout", "-5s"), null));
        assertStartupError("relay.discovery.docker.timeout", "PT0S",
                () -> discovery(config("relay.discovery.docker.timeout", "0s")));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        assertStartupError("relay.mackerel.graph-defs-every", "PT0S",
                () -> new MackerelSink(config("relay.mackerel.graph-defs-every", "0s"), meters));
        assertStartupError("relay.mackerel.min-request-interval", "PT-1S",
                () -> new MackerelSink(config("relay.mackerel.min-request-interval", "-1s"), meters));
    }

    @Test
    void countsAndSizes() {
        assertStartupError("relay.collect.concurrency", "-3", () -> new Collector(config("relay.collect.concurrency", "-3"), null));
        assertStartupError("relay.collect.max-body-size", "0", () -> new Collector(config("relay.collect.max-body-size", "0"), null));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        assertStartupError("relay.mackerel.queue-capacity", "0",
                () -> new MackerelSink(config("relay.mackerel.queue-capacity", "0"), meters));
        assertStartupError("relay.mackerel.max-tasks", "-1",
                () -> new MackerelSink(config("relay.mackerel.max-tasks", "-1"), meters));
        assertStartupError("relay.mackerel.max-request-size", "100",
                () -> new MackerelSink(config("relay.mackerel.max-request-size", "100"), meters));
    }

    @Test
    void templatesSelectorsAndTargetsShowTheBadValue() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        assertStartupError("relay.mackerel.key", "{nope}",
                () -> new MackerelSink(config("relay.mackerel.key", "{family}-{nope}"), meters));
        assertStartupError("relay.mackerel.key", "{port",
                () -> new MackerelSink(config("relay.mackerel.key", "gostats-{port"), meters));
        assertStartupError("relay.plugin.key", "{prot}",
                () -> new io.gostats.relay.cli.PluginCommand(config("relay.plugin.key", "{prot}"), null));
        assertStartupError("relay.discovery.docker.labels", "=x",
                () -> discovery(config("relay.discovery.docker.labels", "app,=x")));
        assertStartupError("relay.discovery.docker.name", "api(",
                () -> discovery(config("relay.discovery.docker.name", "api(")));
        assertStartupError("relay.discovery.static-targets", "127.0.0.1:99999",
                () -> discovery(config("relay.discovery.static-targets", "127.0.0.1:99999")));
        assertStartupError("relay.discovery.static-targets", "127.0.0.1:http",
                () -> discovery(config("relay.discovery.static-targets", "127.0.0.1:8080,127.0.0.1:http")));
        assertStartupError("relay.discovery.static-targets", "127.0.0.1:8080",
                () -> discovery(config("relay.discovery.static-targets", "127.0.0.1:8080,127.0.0.1:8080")));
        assertStartupError("relay.discovery.container-port", "8080/udp",
                () -> discovery(config("relay.discovery.container-port", "8080/udp")));
        assertStartupError("relay.mackerel.prefix", "go.stats",
                () -> new MackerelSink(config("relay.mackerel.prefix", "go.stats"), meters));
    }

    @Test
    void urlsAndMackerelSettings() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        assertStartupError("relay.mackerel.api-base", "ftp://mackerel", () -> new MackerelSink(config(
                "relay.mackerel.api-key", "k", "relay.mackerel.api-base", "ftp://mackerel"), meters));
        assertStartupError("relay.mackerel.api-base", "http://[mackerel", () -> new MackerelSink(config(
                "relay.mackerel.api-key", "k", "relay.mackerel.api-base", "http://[mackerel"), meters));
        assertStartupError("relay.discovery.docker.host", "http://docker:2375",
                () -> discovery(config("relay.discovery.docker.host", "http://docker:2375")));
        assertStartupError("relay.mackerel.custom-identifier", () -> new MackerelSink(config(
                "relay.mackerel.api-key", "k", "relay.mackerel.register-host", "true",
                "relay.mackerel.state-dir", System.getProperty("java.io.tmpdir") + "/config-errors-test"), meters));
        assertStartupError("relay.mackerel.dashboard.role", "shop", () -> new MackerelSink(config(
                "relay.mackerel.api-key", "k", "relay.mackerel.dashboard.role", "shop",
                "relay.mackerel.state-dir", System.getProperty("java.io.tmpdir") + "/config-errors-test"), meters));
    }

    @Test
    void discoveryProperties() {
        assertStartupError("relay.discovery.docker.name",
                () -> discovery(config("relay.discovery.docker.name", "api(")));
        assertStartupError("relay.discovery.docker.labels",
                () -> discovery(config("relay.discovery.docker.labels", "=x")));
        assertStartupError("relay.discovery.container-port",
                () -> discovery(config("relay.discovery.container-port", "8080/udp")));
        assertStartupError("relay.discovery.docker.host",
                () -> discovery(config("relay.discovery.docker.host", "/var/run/docker.sock")));
        assertStartupError("relay.discovery.static-targets",
                () -> discovery(config("relay.discovery.static-targets", "localhost")));
        assertStartupError("relay.collect.path", () -> discovery(config("relay.collect.path", "stats")));
        assertStartupError("relay.collect.format", "openmetrics",
                () -> discovery(config("relay.collect.format", "openmetrics")));
    }

    @Test
    void collectProperties() {
        assertStartupError("relay.collect.concurrency", () -> new Collector(config("relay.collect.concurrency", "0"), null));
        assertStartupError("relay.collect.timeout", () -> new Collector(config("relay.collect.timeout", "0s"), null));
    }

    @Test
    void mackerelProperties() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        assertStartupError("relay.mackerel.enabled",
                () -> new MackerelSink(config("relay.mackerel.enabled", "true"), meters));
        assertStartupError("relay.mackerel.prefix", () -> new MackerelSink(config("relay.mackerel.api-key", "k",
                "relay.mackerel.prefix", "go.stats"), meters));
        assertStartupError("relay.mackerel.api-base", () -> new MackerelSink(config("relay.mackerel.api-key", "k",
                "relay.mackerel.api-base", "ftp://mackerel"), meters));
        assertTrue(!new MackerelSink(config(), meters).enabled(), "off without a key");
    }

    /**
     * Whatever is wrong with the Mackerel configuration, the error names the property and never shows the key (the
     * checks that run after the REST client is built need the runtime: not covered here).
     */
    @Test
    void mackerelErrorsNeverShowTheKey() {
        String key = "CANARYkey0123456789abcdefSECRET";
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        String[][] bad = { { "relay.mackerel.prefix", "go.stats" }, { "relay.mackerel.api-base", "ftp://" + key },
                { "relay.mackerel.api-base", "http://x y/" }, { "relay.mackerel.max-tasks", "-1" },
                { "relay.mackerel.key", "{nope}" } };
        for (String[] b : bad) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MackerelSink(
                    config("relay.mackerel.api-key", key, "relay.mackerel.state-dir",
                            System.getProperty("java.io.tmpdir") + "/gostats-config-test", b[0], b[1]), meters));
            for (Throwable t = e; t != null; t = t.getCause()) {
                assertTrue(!String.valueOf(t.getMessage()).contains(key.substring(6)) || b[1].contains(key),
                        b[0] + ": " + t.getMessage());
            }
            assertTrue(e.getMessage().startsWith(b[0]) || e.getMessage().contains(b[0]), e.getMessage());
        }
    }

    @Test
    void validConfigurationStarts() {
        Discovery d = discovery(config("relay.discovery.docker.enabled", "false",
                "relay.discovery.static-targets", "127.0.0.1:8080,[::1]:9090/debug/stats"));
        assertTrue(d.discover().size() == 2);
    }
}
