package io.gostats.relay.sink.mackerel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.gostats.relay.ConfigErrorsTest;
import io.gostats.relay.config.RelayVersion;
import io.gostats.relay.instance.InstanceId;
import io.gostats.relay.instance.InstanceIdentity;
import io.gostats.relay.sink.SinkStatus;
import io.gostats.relay.sink.mackerel.api.FakeMackerel;
import io.gostats.relay.sink.mackerel.api.PostOutcome;
import io.gostats.relay.sink.mackerel.api.WithFakeMackerel;
import io.gostats.relay.sink.mackerel.points.MackerelBatchesTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The Mackerel sink's host identity as start-up wires it: {@code register-host} with no customIdentifier on EC2 and
 * off it, the version in every call's {@code User-Agent}, and the fake's strictness on the roles call.
 */
@QuarkusTest
@TestProfile(WithFakeMackerel.Profile.class)
class MackerelIdentityTest extends WithFakeMackerel {

    static final String EC2_ID = "i-0123456789abcdef0";

    @TempDir
    Path state;

    MackerelSink registering(InstanceIdentity instance) {
        return new MackerelSink(ConfigErrorsTest.config(MackerelConfig.class, "relay.mackerel.api-key", KEY,
                "relay.mackerel.api-base", fake.baseUri().toString(), "relay.mackerel.register-host", "true",
                "relay.mackerel.roles", "shop:api", "relay.mackerel.state-dir", state.toString()),
                ConfigErrorsTest.config("relay.discovery.docker.enabled", "false"), new SimpleMeterRegistry(),
                instance);
    }

    static long minuteNow() {
        return Instant.now().truncatedTo(ChronoUnit.MINUTES).getEpochSecond();
    }

    /** Off EC2 with no identifier: down naming the property, points kept, no call to Mackerel, no crash. */
    @Test
    void offEc2TheSinkIsDownNamingThePropertyAndKeepsItsPoints() throws Exception {
        MackerelSink sink = registering(InstanceIdentity.of(
                new InstanceId.Unavailable("no EC2 instance id from the instance metadata service (refused)"), "h"));
        try {
            sink.start();
            sink.accept(MackerelBatchesTest.snapshot(minuteNow() - 120, "stats-churn.json"));
            sink.accept(MackerelBatchesTest.snapshot(minuteNow() - 60, "stats-churn.json"));
            Thread.sleep(2500); // the sender runs every second meanwhile
            SinkStatus s = sink.status();
            assertFalse(s.up(), s.state());
            assertTrue(s.state().contains("relay.mackerel.custom-identifier"), s.state());
            assertEquals(2, s.details().get("queuedBatches"), s.details().toString());
            assertEquals(0, fake.requestCount(FakeMackerel.TSDB));
            assertTrue(fake.hosts().isEmpty());
            assertEquals(0, fake.requests().stream().filter(r -> r.path().startsWith("/api/v0/hosts")).count());
        } finally {
            long start = System.nanoTime();
            sink.stop(Duration.ofSeconds(5));
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(ms < 1000, "with no host nothing can be flushed: stop does not wait out its budget (" + ms
                    + " ms)");
        }
    }

    /** On EC2 with no identifier: the relay's host is registered as mackerel-agent's would be, with its roles. */
    @Test
    void onEc2TheHostIsTheInstancesAsMackerelAgentNamesIt() throws Exception {
        MackerelSink sink = registering(InstanceIdentity.of(new InstanceId.Known(EC2_ID), "h"));
        try {
            sink.start();
            long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (sink.status().details().get("hostId") == null && System.nanoTime() < end) {
                Thread.sleep(100);
            }
            SinkStatus s = sink.status();
            String id = (String) s.details().get("hostId");
            assertNotEquals(null, id, s.state());
            assertEquals(EC2_ID + ".ec2.amazonaws.com", fake.hosts().get(id).customIdentifier());
            assertEquals(List.of("shop:api"), fake.hosts().get(id).roleFullnames());
            assertTrue(s.up(), s.state());
        } finally {
            sink.stop(Duration.ofSeconds(1));
        }
    }

    /** Every Mackerel call says which relay made it, as the official clients send their name and version. */
    @Test
    void everyCallCarriesTheRelaysVersion() {
        await(client.listDashboards());
        await(client.findHostByCustomIdentifier("x"));
        await(client.postMetrics(List.of()));
        assertNotEquals("unknown", RelayVersion.version(), "the build's version is known");
        assertFalse(fake.requests().isEmpty());
        for (FakeMackerel.Received r : fake.requests()) {
            assertEquals("gostats-relay/" + RelayVersion.version(), r.userAgent(), r.toString());
        }
    }

    /** {@code PUT hosts/<id>/role-fullnames}: the documented body only, a live host only. */
    @Test
    void theFakeRolesCallIsStrict() {
        String id = fake.addHost("h", "c");
        ok(await(client.putRoleFullnames(id, List.of("shop:api"))));
        assertEquals(List.of("shop:api"), fake.hosts().get(id).roleFullnames());
        PostOutcome<Void> bad = await(client.putRoleFullnames(id, List.of("no role")));
        assertEquals(400, assertInstanceOf(PostOutcome.Rejected.class, bad).status());
        PostOutcome<Void> unknown = await(client.putRoleFullnames("nosuchhost12", List.of("shop:api")));
        assertEquals(404, assertInstanceOf(PostOutcome.Rejected.class, unknown).status());
        fake.retire(id);
        PostOutcome<Void> retired = await(client.putRoleFullnames(id, List.of("shop:api")));
        assertEquals(404, assertInstanceOf(PostOutcome.Rejected.class, retired).status());
    }
}
