package io.gostats.relay.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.client.WireMock;

import io.gostats.relay.TestData;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/** Docker answering errors: the relay stays live and ready, says why once, and recovers by itself. */
@QuarkusTest
@WithTestResource(value = FakeDockerResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@TestProfile(DockerOutageTest.Profile.class)
class DockerOutageTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("relay.interval", "1s", "relay.discovery.docker.events", "false");
        }
    }

    @ConfigProperty(name = "test.docker.port")
    int dockerPort;

    @ConfigProperty(name = "relay.discovery.docker.host")
    String dockerHost;

    static final String LIST = FakeDockerResource.LIST;

    @Test
    void outageIsReportedOnceAndRecoveryIsAutomatic() throws Exception {
        List<LogRecord> logged = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                logged.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger health = Logger.getLogger("io.gostats.relay.discovery.SourceHealth");
        health.addHandler(capture);
        WireMock docker = new WireMock("127.0.0.1", dockerPort);
        try {
            String source = "docker " + dockerHost;
            JsonPath ready = waitFor(() -> health("/q/health/ready"),
                    h -> String.valueOf(h.getString("checks.find { it.name == 'relay-cycle' }.data.'discovery "
                            + source + "'")).contains("daemon is broken"));
            assertEquals("UP", ready.getString("status"), "a Docker outage must not make the relay unready");
            assertEquals("UP", health("/q/health/live").getString("status"));
            assertEquals(0.0, metric("relay_discovery_up", Map.of("source", source)));

            long cyclesBefore = (long) metric("relay_cycle_duration_seconds_count", Map.of());
            waitFor(() -> (long) metric("relay_cycle_duration_seconds_count", Map.of()), n -> n >= cyclesBefore + 3);
            // the first cycle's warning may have come before this test could listen, or just after: none since
            long warned = count(logged, Level.WARNING);
            assertTrue(warned <= 1, "one warning per change of state: " + texts(logged));

            docker.register(get(urlPathMatching(LIST)).willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody(TestData.bytes("docker/docker-containers-ecs-bridge.json"))));
            waitFor(() -> metric("relay_discovery_up", Map.of("source", source)), v -> v == 1.0);
            Exposition e = waitFor(DockerOutageTest::scrape, x -> x.named("gostats_up").size() == 2);
            assertTrue(e.value("gostats_up", Map.of("task_id", "0123456789abcdef0123456789abcdef", "task_family",
                    "api", "task_revision", "7", "cluster", "demo", "ecs_container", "api", "port", "8080",
                    "target", "127.0.0.1:32768")).isPresent(), e.named("gostats_up").toString());
            waitFor(() -> (long) metric("relay_cycle_duration_seconds_count", Map.of()), n -> n >= cyclesBefore + 6);
            assertEquals(1, count(logged, Level.INFO), "one line on recovery: " + texts(logged));
            assertEquals(warned, count(logged, Level.WARNING), texts(logged).toString());
        } finally {
            health.removeHandler(capture);
        }
    }

    static long count(List<LogRecord> logged, Level level) {
        return logged.stream().filter(r -> r.getLevel().equals(level)).count();
    }

    static List<String> texts(List<LogRecord> logged) {
        return logged.stream().map(r -> r.getLevel() + " " + r.getMessage()).toList();
    }

    static JsonPath health(String path) {
        return given().get(path).then().extract().jsonPath();
    }

    static Exposition scrape() {
        return Exposition.parse(given().get("/q/metrics").then().statusCode(200).extract().asString());
    }

    static double metric(String name, Map<String, String> labels) {
        return scrape().value(name, labels).orElse(Double.NaN);
    }

    interface Probe<T> {
        T get() throws Exception;
    }

    static <T> T waitFor(Probe<T> probe, Predicate<T> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        T last = probe.get();
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached in 20 s; last: " + last);
            }
            Thread.sleep(100);
            last = probe.get();
        }
        return last;
    }
}
