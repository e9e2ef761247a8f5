package io.gostats.relay.sink.plugged;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.gostats.relay.it.StaticTargetsResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * Adding a sink is one new folder: {@link CountingSink} lives only in test code, and with no main code naming it
 * it is started on its own lane, gets every snapshot, and shows up in health, on /api/targets and in each target's
 * names.
 */
@QuarkusTest
@WithTestResource(value = StaticTargetsResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@TestProfile(PluggedSinkTest.Profile.class)
class PluggedSinkTest {

    static final String PROFILE = "plugged-sink";

    public static class Profile implements QuarkusTestProfile {
        @Override
        public String getConfigProfile() {
            return PROFILE;
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("relay.interval", "1s", "relay.discovery.docker.enabled", "false");
        }
    }

    @Inject
    CountingSink sink;

    @ConfigProperty(name = "test.stats.port")
    int statsPort;

    @Test
    void aSinkInTestCodeIsStartedFedAndShownWithNoMainCodeNamingIt() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (sink.sequences().size() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(sink.sequences().size() >= 3, "snapshots: " + sink.sequences());
        assertEquals(List.of("sink-counting"), sink.startThreads(), "started once, on its own lane");

        JsonPath api = new JsonPath(given().get("/api/targets").then().statusCode(200).extract().asString());
        assertTrue(api.getBoolean("sinks.counting.up"), api.prettify());
        assertTrue(api.getString("sinks.counting.state").endsWith(" snapshots counted"), api.prettify());
        assertTrue(api.getInt("sinks.counting.details.snapshots") >= 3, api.prettify());
        List<Map<String, Object>> targets = api.getList("targets");
        Map<String, Object> good = targets.stream()
                .filter(t -> ("127.0.0.1:" + statsPort).equals(t.get("address"))).findFirst().orElseThrow();
        assertEquals(Map.of("counting", "port-" + statsPort), good.get("names"));

        String ready = given().get("/q/health/ready").then().statusCode(200).extract().asString();
        assertTrue(ready.contains("\"sink counting\":") && ready.contains("snapshots counted"), ready);
    }
}
