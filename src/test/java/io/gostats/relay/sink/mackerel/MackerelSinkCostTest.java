package io.gostats.relay.sink.mackerel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.gostats.relay.ConfigErrorsTest;
import io.gostats.relay.config.RelayConfig;
import io.gostats.relay.sink.SinkStatus;
import io.gostats.relay.sink.mackerel.annotations.EcsSnapshots;
import io.gostats.relay.sink.mackerel.api.WithFakeMackerel;
import io.gostats.relay.sink.mackerel.points.MackerelBatchesTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The sink as start-up builds it: its cost in its status and meters, and its deploy annotations. */
@QuarkusTest
@TestProfile(WithFakeMackerel.Profile.class)
class MackerelSinkCostTest extends WithFakeMackerel {

    static final long T0 = MackerelBatchesTest.T0;

    @TempDir
    Path state;

    MackerelSink sink(SimpleMeterRegistry meters, String... more) {
        String host = fake.addHost("instance-1", null);
        String[] base = { "relay.mackerel.api-key", KEY, "relay.mackerel.api-base", fake.baseUri().toString(),
                "relay.mackerel.host-id", host, "relay.mackerel.state-dir", state.toString(),
                "relay.discovery.docker.enabled", "false" };
        String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(base), java.util.Arrays.stream(more))
                .toArray(String[]::new);
        return new MackerelSink(ConfigErrorsTest.config(MackerelConfig.class, all),
                ConfigErrorsTest.config(RelayConfig.class, all), meters,
                new io.gostats.relay.instance.InstanceIdentity(java.util.Optional.empty()));
    }

    @Test
    void theMetricsPostedToTheHostPerMinuteAreShownAgainstTheBudget() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        MackerelSink sink = sink(meters, "relay.mackerel.host-metric-allowance", "40",
                "relay.mackerel.host-metric-reserve", "10");
        try {
            assertEquals(null, sink.status().details().get("hostMetricsPerMinute"), "nothing before a minute");
            sink.accept(MackerelBatchesTest.snapshot(T0, "stats-churn.json"));
            sink.accept(MackerelBatchesTest.snapshot(T0 + 60, "stats-pretty.json"));
            SinkStatus s = sink.status();
            Map<String, Object> d = s.details();
            assertEquals(15 + 17, d.get("hostMetricsPerMinute"), d.toString());
            assertEquals("gostats 15, host-sums 17", d.get("hostMetricsByGroup"));
            assertEquals(30, d.get("hostMetricBudget"));
            assertEquals(true, d.get("hostMetricsOverBudget"));
            assertTrue(s.state().endsWith("; 32 of 30 metrics/min to the host (OVER the allowance less reserve: "
                    + "billed as overage)"), s.state());
            assertEquals(32.0, meters.get("relay.mackerel.host.metrics").gauge().value());
            assertEquals(30.0, meters.get("relay.mackerel.host.metric.budget").gauge().value());
        } finally {
            sink.stop(Duration.ofSeconds(1));
        }
    }

    @Test
    void theSinkAnnotatesADeployWhenAServiceIsGiven() throws InterruptedException {
        fake.addService("Shop");
        MackerelSink sink = sink(new SimpleMeterRegistry(), "relay.mackerel.annotations.service", "Shop",
                "relay.mackerel.annotations.max-wait", "0s");
        try {
            sink.accept(EcsSnapshots.at(T0, EcsSnapshots.task("c1", "api", "7", "prod")));
            sink.accept(EcsSnapshots.at(T0 + 60, EcsSnapshots.task("c2", "api", "8", "prod")));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            // the fake keeps the annotation before the annotator counts its post: wait for both
            while ((fake.graphAnnotations().isEmpty()
                    || !"posted 1, found 0, failed 0".equals(sink.status().details().get("deployAnnotations")))
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals("Deploy api:8", fake.graphAnnotations().get(0).title());
            assertEquals("posted 1, found 0, failed 0", sink.status().details().get("deployAnnotations"));
        } finally {
            sink.stop(Duration.ofSeconds(1));
        }
    }

    @Test
    void annotationsAreOffWithoutAService() {
        MackerelSink sink = sink(new SimpleMeterRegistry());
        try {
            sink.accept(EcsSnapshots.at(T0, EcsSnapshots.task("c1", "api", "7", "prod")));
            sink.accept(EcsSnapshots.at(T0 + 60, EcsSnapshots.task("c2", "api", "8", "prod")));
            assertTrue(!sink.status().details().containsKey("deployAnnotations"));
            assertEquals(0, fake.requestCount("/api/v0/graph-annotations"));
        } finally {
            sink.stop(Duration.ofSeconds(1));
        }
    }
}
