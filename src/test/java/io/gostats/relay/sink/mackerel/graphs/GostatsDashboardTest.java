package io.gostats.relay.sink.mackerel.graphs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.gostats.relay.LogCapture;
import io.gostats.relay.sink.mackerel.api.Dashboard;
import io.gostats.relay.sink.mackerel.api.FakeMackerel.Fault;
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
        assertEquals("gostats-relay/shop/api", fake.dashboards().get(0).get("urlPath").asText());
    }

    /** {@code a-b:c} and {@code a:b-c} both mapped to {@code gostats-relay/a-b-c}: now each has its own path. */
    @Test
    void twoRolesNeverShareAPath() {
        Dashboard one = GostatsDashboard.of("ab-cd:ef", "gostats");
        Dashboard two = GostatsDashboard.of("ab:cd-ef", "gostats");
        assertNotEquals(one.urlPath(), two.urlPath());
        assertTrue(GostatsDashboard.apply(client, one, Duration.ofSeconds(5)).isPresent());
        assertTrue(GostatsDashboard.apply(client, two, Duration.ofSeconds(5)).isPresent(), "no 409 for the second");
        assertEquals(2, fake.dashboards().size());
        assertEquals(java.util.Set.of("gostats: ab-cd:ef", "gostats: ab:cd-ef"), fake.dashboards().stream()
                .map(d -> d.get("title").asText()).collect(java.util.stream.Collectors.toSet()));
    }

    /** A dashboard an earlier relay made at the old path moves to the new one, in place; another role's stays. */
    @Test
    void aDashboardAtTheOldPathMovesInPlace() {
        Dashboard wanted = GostatsDashboard.of("ab:cd-ef", "gostats");
        String old = GostatsDashboard.apply(client, new Dashboard(null, wanted.title(), wanted.memo(),
                "gostats-relay/ab-cd-ef", wanted.widgets()), Duration.ofSeconds(5)).orElseThrow();
        Dashboard other = GostatsDashboard.of("ab-cd:ef", "gostats");
        String otherOld = GostatsDashboard.apply(client, new Dashboard(null, other.title(), other.memo(),
                "gostats-relay/ab-cd-ef-x", other.widgets()), Duration.ofSeconds(5)).orElseThrow();
        assertEquals(java.util.Optional.of(old), GostatsDashboard.apply(client, wanted, Duration.ofSeconds(5)));
        assertEquals(2, fake.dashboards().size());
        assertTrue(fake.dashboards().stream().anyMatch(d -> d.get("id").asText().equals(old)
                && d.get("urlPath").asText().equals("gostats-relay/ab/cd-ef")));
        assertTrue(fake.dashboards().stream().anyMatch(d -> d.get("id").asText().equals(otherOld)
                && d.get("urlPath").asText().equals("gostats-relay/ab-cd-ef-x")));
    }

    @Test
    void roleMustBeServiceColonRole() {
        GostatsDashboard.checkRole("shop:api");
        assertThrows(IllegalArgumentException.class, () -> GostatsDashboard.checkRole("shop"));
        assertThrows(IllegalArgumentException.class, () -> GostatsDashboard.checkRole("shop:a'b"));
    }

    /** Mackerel documents a 403 from the dashboards API for the dashboard limit too: the log names both causes. */
    @Test
    void aRefusalNamesTheDashboardLimitAsAPossibleCause() {
        fake.failNext("/api/v0/dashboards", 1, Fault.status(403, "Dashboard limit exceeded"));
        try (LogCapture log = LogCapture.of(GostatsDashboard.class)) {
            assertEquals(Optional.empty(), GostatsDashboard.apply(client, GostatsDashboard.of("shop:api", "gostats"),
                    Duration.ofSeconds(5)));
            assertTrue(log.warnings().stream().anyMatch(w -> w.contains("dashboard limit")), log.warnings().toString());
            assertTrue(log.warnings().stream().noneMatch(w -> w.contains(KEY)));
        }
    }
}
