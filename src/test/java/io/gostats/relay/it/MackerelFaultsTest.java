package io.gostats.relay.it;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.gostats.relay.sink.mackerel.api.FakeMackerel;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The whole relay against a Mackerel that first stalls and then refuses the key: collection and /q/metrics keep
 * their pace while the Mackerel call hangs, and the key appears in no log line, metric or health output.
 */
@QuarkusTest
@WithTestResource(value = MackerelFaultsResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@TestProfile(MackerelFaultsTest.Profile.class)
class MackerelFaultsTest {

    public static class Profile implements QuarkusTestProfile {
    }

    static final String KEY = MackerelFaultsResource.KEY;

    FakeMackerel fake;

    @ConfigProperty(name = "test.log.file")
    Path logFile;

    static double cycles() {
        return DockerOutageTest.metric("relay_cycle_duration_seconds_count", Map.of());
    }

    @Test
    void aStalledMackerelDelaysNothingAndTheKeyNeverShows() throws Exception {
        // the first Mackerel call (the dashboard, at the first snapshot) is held by the fake
        DockerOutageTest.waitFor(() -> fake.requestCount(), n -> n >= 1);
        double before = cycles();
        long start = System.nanoTime();
        Thread.sleep(6000);
        double after = cycles();
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("while the Mackerel call stalled: %.0f cycles in %.1f s at a 1 s interval%n",
                after - before, seconds);
        assertEquals(1, fake.requestCount(), "the sender is held in its first call: " + fake.requests());
        assertTrue(after - before >= 3, "cycles kept their pace: " + (after - before) + " in " + seconds + " s");
        Exposition e = DockerOutageTest.scrape();
        assertEquals(2, e.named("gostats_up").size(), e.named("gostats_up").toString());
        assertTrue(e.value("gostats_goroutines", Map.of()).isPresent(), "/q/metrics is fresh meanwhile");

        fake.releaseStalls(); // the dashboard call goes on; the graph definitions then get a 401 echoing the key
        DockerOutageTest.waitFor(() -> DockerOutageTest.scrape().text(),
                t -> t.contains("relay_mackerel_posts_total{outcome=\"unauthorized\"}"));

        String metrics = given().get("/q/metrics").asString();
        String health = given().get("/q/health").asString() + given().get("/q/health/ready").asString()
                + given().get("/q/health/live").asString();
        String log = Files.readString(logFile);
        System.out.printf("checked for the key: %d log lines, %d bytes of metrics, %d bytes of health%n",
                log.lines().count(), metrics.length(), health.length());
        assertTrue(log.contains("Mackerel refused the API key"), "the refusal itself is logged: " + log);
        assertTrue(log.lines().count() > 5, log);
        for (String place : new String[] { "log", "metrics", "health" }) {
            String text = place.equals("log") ? log : place.equals("metrics") ? metrics : health;
            assertFalse(text.contains(KEY), "the API key is in the " + place + ":\n"
                    + text.lines().filter(l -> l.contains(KEY)).toList());
            assertFalse(text.contains(KEY.substring(4, 22)), "part of the API key is in the " + place);
        }
    }
}
