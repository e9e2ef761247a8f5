package io.gostats.relay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.gostats.relay.ConfigErrorsTest;
import io.gostats.relay.sink.mackerel.MackerelConfig;
import io.gostats.relay.sink.mackerel.api.FakeMackerel;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** The dashboard command against the strict fake: written once, updated in place on a second run. */
@QuarkusTest
@TestProfile(DashboardCommandTest.Profile.class)
class DashboardCommandTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public java.util.Map<String, String> getConfigOverrides() {
            return java.util.Map.of("relay.discovery.docker.enabled", "false");
        }
    }

    static DashboardCommand command(FakeMackerel fake, String key) {
        return new DashboardCommand(ConfigErrorsTest.config(MackerelConfig.class, "relay.mackerel.api-key", key,
                "relay.mackerel.api-base", fake.baseUri().toString()));
    }

    @Test
    void writesTheRolesDashboardAndExitsZero() {
        try (FakeMackerel fake = FakeMackerel.start("cmdKey0123456789abcdefSECRET")) {
            DashboardCommand cmd = command(fake, "cmdKey0123456789abcdefSECRET");
            assertEquals(0, cmd.run("shop:api"));
            assertEquals(0, cmd.run("shop:api"));
            assertEquals(1, fake.dashboards().size());
            assertEquals("gostats-relay/shop/api", fake.dashboards().get(0).get("urlPath").asText());
            assertEquals(2, cmd.run("shop"), "not Service:role");
            assertEquals(2, cmd.run(), "no role");
        }
    }

    /** Two roles that shared one path ({@code a-b:c}, {@code a:b-c}) get a dashboard each; the calls name the relay. */
    @Test
    void rolesThatOnceCollidedGetADashboardEach() {
        try (FakeMackerel fake = FakeMackerel.start("cmdKey0123456789abcdefSECRET")) {
            DashboardCommand cmd = command(fake, "cmdKey0123456789abcdefSECRET");
            assertEquals(0, cmd.run("shop-eu:api"));
            assertEquals(0, cmd.run("shop:eu-api"));
            assertEquals(java.util.Set.of("gostats-relay/shop-eu/api", "gostats-relay/shop/eu-api"),
                    fake.dashboards().stream().map(d -> d.get("urlPath").asText())
                            .collect(java.util.stream.Collectors.toSet()));
            assertTrue(fake.requests().stream().allMatch(r -> r.userAgent().equals(
                    "gostats-relay/" + io.gostats.relay.config.RelayVersion.version())), fake.requests().toString());
        }
    }

    @Test
    void aRefusedKeyExitsOne() {
        try (FakeMackerel fake = FakeMackerel.start("theRightKey0123456789abcdef")) {
            DashboardCommand cmd = command(fake, "aWrongKey0123456789abcdef");
            assertEquals(1, cmd.run("shop:api"));
            assertEquals(0, fake.dashboards().size());
        }
    }
}
