package io.gostats.relay.sink.mackerel;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.gostats.relay.sink.mackerel.api.FakeMackerel;
import io.gostats.relay.sink.mackerel.api.FakeMackerelResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The relay posting to a strict fake Mackerel in real time: it waits for a minute boundary and the host's offset in
 * the minute (up to two minutes), so it runs with the end-to-end tests.
 */
@QuarkusTest
@Tag("e2e")
@TestProfile(MackerelSinkE2ETest.Profile.class)
@WithTestResource(value = FakeMackerelResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class MackerelSinkE2ETest {

    public static class Profile implements QuarkusTestProfile {
    }

    FakeMackerel fake;

    @Test
    void aTasksMinutePointsAndTheHostSumsArriveWithTheirGraphs() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
        while (fake.points().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
        Map<String, Double> byName = new TreeMap<>(fake.points().entrySet().stream()
                .collect(Collectors.toMap(e -> e.getKey().name(), Map.Entry::getValue, (a, b) -> b)));
        assertTrue(!byName.isEmpty(), "nothing arrived in 150 s; sink state: "
                + given().get("/q/health/ready").asString());
        long tasks = byName.keySet().stream().filter(n -> n.endsWith(".runtime.goroutine_num")).count();
        assertEquals(2, tasks, "one task plus the host sum: " + byName.keySet());
        String key = byName.keySet().stream().filter(n -> n.startsWith("custom.gostats.") && !n.contains("_host"))
                .findFirst().orElseThrow().split("\\.")[2];
        assertTrue(key.matches("[-a-zA-Z0-9_]+-1"), "default key {family}-{slot}: " + key);
        assertEquals(4.0, byName.get("custom.gostats." + key + ".runtime.goroutine_num"));
        assertEquals(13469088.0, byName.get("custom.gostats." + key + ".memory.memory_alloc"));
        assertEquals(31858688.0, byName.get("custom.gostats." + key + ".heap.heap_released"), "a gauge by default");
        assertEquals(byName.get("custom.gostats." + key + ".memory.memory_sys"),
                byName.get("custom.gostats_host.memory.memory_sys"), "the host sum of one task");
        assertEquals(1.0, byName.get("custom.gostats_host.tasks.running"));
        assertEquals(0.0, byName.get("custom.gostats_host.tasks.failing"));
        assertTrue(fake.points().keySet().stream().allMatch(k -> k.time() % 60 == 0), "stamped at second 0");
        assertEquals(5 + 3 + 6, fake.graphDefs().size(),
                "gostats 5, process 3, host sums 6: " + fake.graphDefs().keySet());
        assertTrue(fake.graphDefs().containsKey("custom.gostats.#.gc"));
        assertTrue(given().get("/q/metrics").asString().contains("relay_mackerel_posts_total{outcome=\"ok\"}"));
    }
}
