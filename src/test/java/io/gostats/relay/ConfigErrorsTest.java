package io.gostats.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.gostats.relay.cli.PluginConfig;
import io.gostats.relay.collect.Collector;
import io.gostats.relay.config.RelayConfig;
import io.gostats.relay.cycle.Relay;
import io.gostats.relay.discovery.Discovery;
import io.gostats.relay.instance.InstanceIdentity;
import io.gostats.relay.sink.mackerel.MackerelConfig;
import io.gostats.relay.sink.mackerel.MackerelSink;
import io.gostats.relay.sink.prometheus.PrometheusSink;
import io.gostats.relay.web.PageConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/** Bad configuration stops start-up with an error that names the property. */
public class ConfigErrorsTest {

    /** The relay's configuration from these properties alone (and the defaults), as start-up would map it. */
    public static RelayConfig config(String... keyValues) {
        return config(RelayConfig.class, keyValues);
    }

    /**
     * Any {@code @ConfigMapping} of the relay (each sink and reader has its own) from these properties alone, with
     * the other mappings known too as at start-up (each owns its prefix under {@code relay.}).
     */
    public static <T> T config(Class<T> mapping, String... keyValues) {
        Map<String, String> props = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put(keyValues[i], keyValues[i + 1]);
        }
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder();
        Stream.of(mapping, RelayConfig.class, MackerelConfig.class, PluginConfig.class, PageConfig.class,
                io.gostats.relay.sink.prometheus.PrometheusConfig.class).distinct()
                .forEach(builder::withMapping);
        return builder
                .addDefaultInterceptors() // expressions (${relay.state-dir}) expand as at start-up
                .withConverter(MemorySize.class, 100, new MemorySizeConverter())
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(props, "test", 500))
                .build().getConfigMapping(mapping);
    }

    /** The Mackerel sink as start-up builds it from these properties. */
    static MackerelSink mackerelSink(SimpleMeterRegistry meters, String... keyValues) {
        return new MackerelSink(config(MackerelConfig.class, keyValues), config(keyValues), meters,
                new InstanceIdentity(java.util.Optional.empty()));
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

    /** The collector as start-up builds it from these properties, up to its first use of Vert.x. */
    static Collector collector(String... keyValues) {
        return new Collector(config(keyValues), null, new SimpleMeterRegistry());
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
        assertStartupError("relay.collect.timeout", "PT-5S",
                () -> collector("relay.collect.timeout", "-5s"));
        assertStartupError("relay.discovery.docker.timeout", "PT0S",
                () -> discovery(config("relay.discovery.docker.timeout", "0s")));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        assertStartupError("relay.mackerel.graph-defs-every", "PT0S",
                () -> mackerelSink(meters, "relay.mackerel.graph-defs-every", "0s"));
        assertStartupError("relay.mackerel.min-request-interval", "PT-1S",
                () -> mackerelSink(meters, "relay.mackerel.min-request-interval", "-1s"));
    }

    @Test
    void countsAndSizes() {
        assertStartupError("relay.collect.concurrency", "-3", () -> collector("relay.collect.concurrency", "-3"));
        assertStartupError("relay.collect.max-body-size", "0", () -> collector("relay.collect.max-body-size", "0"));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        assertStartupError("relay.mackerel.queue-capacity", "0",
                () -> mackerelSink(meters, "relay.mackerel.queue-capacity", "0"));
        assertStartupError("relay.mackerel.max-tasks", "-1",
                () -> mackerelSink(meters, "relay.mackerel.max-tasks", "-1"));
        assertStartupError("relay.mackerel.max-request-size", "100",
                () -> mackerelSink(meters, "relay.mackerel.max-request-size", "100"));
    }

    @Test
    void templatesSelectorsAndTargetsShowTheBadValue() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        assertStartupError("relay.mackerel.key", "{nope}",
                () -> mackerelSink(meters, "relay.mackerel.key", "{family}-{nope}"));
        assertStartupError("relay.mackerel.key", "{port",
                () -> mackerelSink(meters, "relay.mackerel.key", "gostats-{port"));
        assertStartupError("relay.plugin.key", "{prot}",
                () -> new io.gostats.relay.cli.PluginCommand(config(PluginConfig.class, "relay.plugin.key", "{prot}"), null, null));
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
                () -> mackerelSink(meters, "relay.mackerel.prefix", "go.stats"));
    }

    @Test
    void urlsAndMackerelSettings() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        assertStartupError("relay.mackerel.api-base", "ftp://mackerel", () -> mackerelSink(meters,
                "relay.mackerel.api-key", "k", "relay.mackerel.api-base", "ftp://mackerel"));
        assertStartupError("relay.mackerel.api-base", "http://[mackerel", () -> mackerelSink(meters,
                "relay.mackerel.api-key", "k", "relay.mackerel.api-base", "http://[mackerel"));
        assertStartupError("relay.discovery.docker.host", "http://docker:2375",
                () -> discovery(config("relay.discovery.docker.host", "http://docker:2375")));
        assertStartupError("relay.mackerel.custom-identifier", () -> mackerelSink(meters,
                "relay.mackerel.api-key", "k", "relay.mackerel.register-host", "true",
                "relay.mackerel.state-dir", System.getProperty("java.io.tmpdir") + "/config-errors-test"));
        assertStartupError("relay.mackerel.dashboard.role", "shop", () -> mackerelSink(meters,
                "relay.mackerel.api-key", "k", "relay.mackerel.dashboard.role", "shop",
                "relay.mackerel.state-dir", System.getProperty("java.io.tmpdir") + "/config-errors-test"));
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
        assertStartupError("relay.collect.concurrency", () -> collector("relay.collect.concurrency", "0"));
        assertStartupError("relay.collect.timeout", () -> collector("relay.collect.timeout", "0s"));
        assertUnconvertible("relay.collect.keep-alive", "flase");
        assertUnconvertible("relay.collect.keep-alive", "yes");
    }

    @Test
    void mackerelProperties() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        assertStartupError("relay.mackerel.enabled",
                () -> mackerelSink(meters, "relay.mackerel.enabled", "true"));
        assertStartupError("relay.mackerel.prefix", () -> mackerelSink(meters, "relay.mackerel.api-key", "k",
                "relay.mackerel.prefix", "go.stats"));
        assertStartupError("relay.mackerel.api-base", () -> mackerelSink(meters, "relay.mackerel.api-key", "k",
                "relay.mackerel.api-base", "ftp://mackerel"));
        assertTrue(!mackerelSink(meters).enabled(), "off without a key");
    }

    @Test
    void mackerelGraphGroupsAndTheHostMetricBudget() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        assertStartupError("relay.mackerel.graphs", "containers", () -> mackerelSink(meters,
                "relay.mackerel.graphs", "gostats,containers"));
        assertStartupError("relay.mackerel.host-metric-allowance", "0", () -> mackerelSink(meters,
                "relay.mackerel.host-metric-allowance", "0"));
        assertStartupError("relay.mackerel.host-metric-reserve", "-1", () -> mackerelSink(meters,
                "relay.mackerel.host-metric-reserve", "-1"));
        assertStartupError("relay.mackerel.host-metric-reserve", "200", () -> mackerelSink(meters,
                "relay.mackerel.host-metric-reserve", "200"));
        assertStartupError("relay.mackerel.annotations.service", "_shop", () -> mackerelSink(meters,
                "relay.mackerel.annotations.service", "_shop"));
        assertStartupError("relay.mackerel.annotations.roles", "a", () -> mackerelSink(meters,
                "relay.mackerel.annotations.service", "shop", "relay.mackerel.annotations.roles", "web,a"));
        assertStartupError("relay.mackerel.annotations.max-wait", "PT-1S", () -> mackerelSink(meters,
                "relay.mackerel.annotations.max-wait", "-1s"));
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
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> mackerelSink(meters,
                    "relay.mackerel.api-key", key, "relay.mackerel.state-dir",
                    System.getProperty("java.io.tmpdir") + "/gostats-config-test", b[0], b[1]));
            for (Throwable t = e; t != null; t = t.getCause()) {
                assertTrue(!String.valueOf(t.getMessage()).contains(key.substring(6)) || b[1].contains(key),
                        b[0] + ": " + t.getMessage());
            }
            assertTrue(e.getMessage().startsWith(b[0]) || e.getMessage().contains(b[0]), e.getMessage());
        }
    }

    @Test
    void prometheusSeriesIsTaskOrSlot() {
        assertStartupError("relay.prometheus.series", "slots", () -> new PrometheusSink(
                config(io.gostats.relay.sink.prometheus.PrometheusConfig.class, "relay.prometheus.series", "slots")));
        new PrometheusSink(config(io.gostats.relay.sink.prometheus.PrometheusConfig.class,
                "relay.prometheus.series", "slot"));
    }

    /** The Mackerel sink's state follows the relay's unless set: existing users' queue and host id stay put. */
    @Test
    void theMackerelStateDirectoryDefaultsToTheRelays() {
        assertEquals(java.nio.file.Path.of("/var/lib/gostats-relay"), config(MackerelConfig.class).stateDir());
        assertEquals(java.nio.file.Path.of("/srv/relay"),
                config(MackerelConfig.class, "relay.state-dir", "/srv/relay").stateDir());
        assertEquals(java.nio.file.Path.of("/srv/mackerel"), config(MackerelConfig.class, "relay.state-dir",
                "/srv/relay", "relay.mackerel.state-dir", "/srv/mackerel").stateDir());
    }

    @Test
    void validConfigurationStarts() {
        Discovery d = discovery(config("relay.discovery.docker.enabled", "false",
                "relay.discovery.static-targets", "127.0.0.1:8080,[::1]:9090/debug/stats"));
        assertTrue(d.discover().size() == 2);
    }
}
