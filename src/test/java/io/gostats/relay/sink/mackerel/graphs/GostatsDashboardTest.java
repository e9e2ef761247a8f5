package io.gostats.relay.sink.mackerel.graphs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.gostats.relay.sink.mackerel.api.Dashboard;
import io.gostats.relay.sink.mackerel.api.WithFakeMackerel;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(WithFakeMackerel.Profile.class)
class GostatsDashboardTest extends WithFakeMackerel {

    @Test
    void createdOnceThenUpdatedInPlace() {
        Dashboard d = GostatsDashboard.of("shop:api", "gostats");
        Optional<String> first = GostatsDashboard.apply(client, d, Duration.ofSeconds(5));
        assertTrue(first.isPresent(), "the strict fake accepted the layout");
        Optional<String> second = GostatsDashboard.apply(client, d, Duration.ofSeconds(5));
        assertEquals(first, second);
        assertEquals(1, fake.dashboards().size());
        var widgets = fake.dashboards().get(0).get("widgets");
        assertEquals(GostatsMetric.values().length + 6, widgets.size());
        assertEquals("role('shop:api', 'custom.gostats.*.runtime.goroutine_num')",
                widgets.get(0).get("graph").get("expression").asText());
        assertEquals("custom.gostats_host.gc", widgets.get(15).get("graph").get("name").asText());
        assertEquals("gostats-relay/shop-api", fake.dashboards().get(0).get("urlPath").asText());
    }

    @Test
    void roleMustBeServiceColonRole() {
        GostatsDashboard.checkRole("shop:api");
        assertThrows(IllegalArgumentException.class, () -> GostatsDashboard.checkRole("shop"));
        assertThrows(IllegalArgumentException.class, () -> GostatsDashboard.checkRole("shop:a'b"));
    }
}
