package io.gostats.relay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** The whole relay in-process with {@code relay.prometheus.series=slot}: /q/metrics without the deploy's labels. */
@QuarkusTest
@WithTestResource(value = StaticTargetsResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@TestProfile(SlotSeriesEndpointTest.Profile.class)
class SlotSeriesEndpointTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("relay.discovery.docker.enabled", "false", "relay.interval", "1s",
                    "relay.prometheus.series", "slot");
        }
    }

    static final List<String> SLOT_LABELS = List.of("port", "task_family", "ecs_container", "cluster", "slot");

    @ConfigProperty(name = "test.stats.port")
    int statsPort;

    @ConfigProperty(name = "test.broken.port")
    int brokenPort;

    @ConfigProperty(name = "relay.state-dir")
    java.nio.file.Path stateDir;

    @ConfigProperty(name = "relay.mackerel.state-dir")
    java.nio.file.Path mackerelStateDir;

    /** The relay keeps its slots in relay.state-dir, which the Mackerel sink's state follows unless set. */
    @Test
    void theSlotsAreKeptInTheRelaysStateDirectory() throws Exception {
        MetricsEndpointTest.scrapeAfterFirstCycle();
        assertEquals(stateDir, mackerelStateDir);
        String slots = java.nio.file.Files.readString(stateDir.resolve("slots.json"));
        assertTrue(slots.contains("static:127.0.0.1:" + statsPort + "/stats"), slots);
    }

    @Test
    void perTaskSeriesCarryOnlyTheLabelsADeployKeeps() {
        Exposition e = MetricsEndpointTest.scrapeAfterFirstCycle();
        assertEquals(2, e.named("gostats_up").size(), e.named("gostats_up").toString());
        int perTask = 0;
        for (Exposition.Sample s : e.samples()) {
            if (s.name().startsWith("gostats_") && !s.name().equals("gostats_info")
                    && !s.name().equals("gostats_fetch_errors_total")) {
                assertEquals(SLOT_LABELS, List.copyOf(s.labels().keySet()), s.toString());
                perTask++;
            }
        }
        assertTrue(perTask > 10, "per-task series: " + perTask);
        Map<String, String> good = Map.of("port", Integer.toString(statsPort), "slot", "1");
        assertEquals(1.0, e.value("gostats_up", good).orElseThrow());
        assertEquals(4.0, e.value("gostats_goroutines", good).orElseThrow());
        assertEquals(209.0, e.value("gostats_gc_cycles_total", good).orElseThrow());
        Map<String, String> broken = Map.of("port", Integer.toString(brokenPort), "slot", "1", "reason",
                "http_status");
        assertTrue(e.value("gostats_fetch_errors_total", broken).orElseThrow() >= 1);
        assertTrue(e.samples().stream().noneMatch(s -> s.labels().containsKey("target")
                || s.labels().containsKey("task_id")), "no label a deploy changes");
    }
}
