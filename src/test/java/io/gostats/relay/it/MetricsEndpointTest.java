package io.gostats.relay.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** The whole relay in-process, with static targets: what /q/metrics and /q/health show. */
@QuarkusTest
@WithTestResource(value = StaticTargetsResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@TestProfile(MetricsEndpointTest.Profile.class)
class MetricsEndpointTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("relay.discovery.docker.enabled", "false", "relay.interval", "1s");
        }
    }

    static final List<String> LABELS = List.of("target", "port", "container", "task_id", "task_family",
            "task_revision", "ecs_container", "cluster", "slot");

    @ConfigProperty(name = "test.stats.port")
    int statsPort;

    @ConfigProperty(name = "test.broken.port")
    int brokenPort;

    static Exposition scrapeAfterFirstCycle() {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            Exposition e = Exposition.parse(given().get("/q/metrics").then().statusCode(200).extract().asString());
            if (!e.named("gostats_up").isEmpty() || System.nanoTime() > deadline) {
                return e;
            }
            sleep(100);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void perTargetSeriesCarryTheSameLabelsAndTheFetchedValues() {
        Exposition e = scrapeAfterFirstCycle();
        String good = "127.0.0.1:" + statsPort;
        assertEquals(2, e.named("gostats_up").size(), e.named("gostats_up").toString());
        assertEquals(1.0, e.value("gostats_up", Map.of("target", good, "port", Integer.toString(statsPort),
                "slot", "1")).orElseThrow(), "each static target is the first of its port");
        for (Exposition.Sample s : e.samples()) {
            if (s.name().startsWith("gostats_") && !s.name().equals("gostats_info")
                    && !s.name().equals("gostats_fetch_errors_total")) {
                assertEquals(LABELS, List.copyOf(s.labels().keySet()), s.toString());
            }
        }
        Map<String, String> t = Map.of("target", good);
        assertEquals(4.0, e.value("gostats_goroutines", t).orElseThrow());
        assertEquals(2.0, e.value("gostats_gomaxprocs", t).orElseThrow());
        assertEquals(13469088.0, e.value("gostats_memory_alloc_bytes", t).orElseThrow());
        assertEquals(55884816.0, e.value("gostats_memory_sys_bytes", t).orElseThrow());
        assertEquals(31858688.0, e.value("gostats_heap_released_bytes", t).orElseThrow());
        assertEquals(12752.0, e.value("gostats_heap_objects", t).orElseThrow());
        assertEquals(17613056.0, e.value("gostats_gc_next_bytes", t).orElseThrow());
        assertEquals(209.0, e.value("gostats_gc_cycles_total", t).orElseThrow());
        assertEquals(1444487.0, e.value("gostats_memory_mallocs_total", t).orElseThrow());
        assertEquals(1643132424.0, e.value("gostats_memory_allocated_bytes_total", t).orElseThrow());
        assertTrue(e.value("gostats_gc_pause_seconds_total", t).orElseThrow() >= 0.006268024);
        assertEquals(1.0, e.value("gostats_info", Map.of("target", good, "go_version", "go1.19.8", "go_os", "linux",
                "go_arch", "amd64", "format", "gostats")).orElseThrow());
        assertEquals("counter", e.types().get("gostats_gc_cycles"), "counter families are named without _total");
        assertEquals("gauge", e.types().get("gostats_goroutines"));
    }

    @Test
    void aBrokenTargetIsDownWithoutStaleValuesAndCounted() {
        Exposition e = scrapeAfterFirstCycle();
        Map<String, String> broken = Map.of("target", "127.0.0.1:" + brokenPort, "port", Integer.toString(brokenPort));
        assertEquals(0.0, e.value("gostats_up", broken).orElseThrow());
        assertEquals(1, e.named("gostats_goroutines").size(), "the broken target has no values");
        assertTrue(e.value("gostats_goroutines", broken).isEmpty());
        Map<String, String> brokenByStatus = new java.util.HashMap<>(broken);
        brokenByStatus.put("reason", "http_status");
        assertTrue(e.value("gostats_fetch_errors_total", brokenByStatus).orElseThrow() >= 1);
        assertTrue(e.value("relay_fetch_errors_total", Map.of("reason", "http_status")).orElseThrow() >= 1);
        assertEquals(1.0, e.value("relay_targets", Map.of("state", "up")).orElseThrow());
        assertEquals(1.0, e.value("relay_targets", Map.of("state", "down")).orElseThrow());
        assertTrue(e.value("relay_cycle_duration_seconds_count", Map.of()).orElseThrow() >= 1);
    }

    @Test
    void readyAfterTheFirstCycleAndLive() {
        scrapeAfterFirstCycle();
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.find { it.name == 'relay-cycle' }.data.targets", equalTo(2))
                .body("checks.find { it.name == 'relay-cycle' }.data.targets-up", equalTo(1));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    /**
     * The format is negotiated as Quarkus's endpoint did: OpenMetrics without Accept (or with curl's), the text
     * format 0.0.4 when Accept names text/plain as Prometheus's does. Both carry the relay's meters and the per-task
     * families, with one {@code # EOF} at the very end of OpenMetrics; Quarkus's endpoint, moved, has the meters only.
     */
    @Test
    void eachFormatHasTheRelaysMetersThenTheTasksFamilies() {
        scrapeAfterFirstCycle();
        var om = given().header("Accept", "*/*").get("/q/metrics").then().statusCode(200).extract();
        assertTrue(om.contentType().startsWith("application/openmetrics-text; version=1.0.0"), om.contentType());
        String omText = om.asString();
        assertTrue(omText.endsWith("\n# EOF\n") && omText.indexOf("# EOF") == omText.length() - 6, "one # EOF, last");
        var text = given().header("Accept", "text/plain;version=0.0.4;q=0.5,*/*;q=0.1").get("/q/metrics").then()
                .statusCode(200).extract();
        assertTrue(text.contentType().startsWith("text/plain; version=0.0.4"), text.contentType());
        assertTrue(!text.asString().contains("# EOF"));
        for (String body : List.of(omText, text.asString())) {
            Exposition e = Exposition.parse(body);
            assertTrue(e.value("relay_cycle_duration_seconds_count", Map.of()).orElseThrow() >= 1, body);
            assertEquals(2, e.named("gostats_up").size(), body);
            assertEquals(1, e.named("gostats_goroutines").size(), body);
            assertEquals(e.samples().size(), e.samples().stream().map(x -> x.name() + x.labels()).distinct().count(),
                    "no sample twice");
        }
        assertEquals("counter", Exposition.parse(text.asString()).types().get("gostats_gc_cycles_total"));
        Exposition meters = Exposition.parse(given().header("Accept", "text/plain").get("/q/micrometer").then()
                .statusCode(200).extract().asString());
        assertTrue(meters.value("relay_cycle_duration_seconds_count", Map.of()).isPresent());
        assertTrue(meters.taskSamples().isEmpty(), "the per-task families are served on /q/metrics only");
    }
}
