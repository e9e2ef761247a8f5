package io.gostats.relay.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.gostats.relay.it.PageTargetsResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/** /api/targets behind basic auth: its shape and states, no secret in it; health and metrics stay open. */
@QuarkusTest
@WithTestResource(value = PageTargetsResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@TestProfile(TargetsApiTest.Profile.class)
class TargetsApiTest {

    static final String USER = "ops";
    static final String PASSWORD = "pagePassw0rd-NOT-IN-OUTPUT";

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("relay.page.basic-auth.username", USER, "relay.page.basic-auth.password", PASSWORD);
        }
    }

    @ConfigProperty(name = "test.mackerel.api-key")
    String apiKey;

    @ConfigProperty(name = "test.refused.port")
    int refusedPort;

    @ConfigProperty(name = "test.stats.port")
    int statsPort;

    @Test
    void withoutOrWithWrongCredentialsEverythingPrivateIs401() {
        for (String path : List.of("/", "/api/targets", "/targets.js")) {
            given().get(path).then().statusCode(401).header("WWW-Authenticate", containsString("Basic"));
            given().auth().preemptive().basic(USER, "wrong").get(path).then().statusCode(401);
            given().auth().preemptive().basic("other", PASSWORD).get(path).then().statusCode(401);
            given().header("Authorization", "Basic !!notbase64").get(path).then().statusCode(401);
        }
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
    }

    @Test
    void targetsShowStatesKeysAndSinksWithoutSecrets() throws Exception {
        JsonPath v = waitForTargets(3);
        List<Map<String, Object>> targets = v.getList("targets");
        Map<String, Object> refused = only(targets, "address", "127.0.0.1:" + refusedPort);
        assertEquals("down", refused.get("state"));
        assertEquals("refused", refused.get("failure"));
        assertTrue(((Map<?, ?>) refused.get("failures")).get("refused") instanceof Number, refused.toString());
        assertNotNull(refused.get("since"), refused.toString());
        assertFalse(Instant.parse((String) refused.get("since")).isAfter(Instant.parse((String) refused.get("fetchedAt"))));

        Map<String, Object> api = only(targets, "taskArn", PageTargetsResource.TASK_ARN);
        assertEquals("up", api.get("state"));
        assertEquals("", api.get("failure"));
        assertEquals("api", api.get("family"));
        assertEquals("7", api.get("revision"));
        assertEquals(8080, api.get("containerPort"));
        assertEquals("127.0.0.1:" + statsPort, api.get("address"));
        assertEquals(Map.of("mackerel", "api-1"), api.get("names"), "the default key, {family}-{slot}");
        assertTrue(((Number) api.get("tookMs")).longValue() >= 0);
        assertNotNull(api.get("fetchedAt"));

        Map<String, Object> hostile = only(targets, "taskArn", PageTargetsResource.HOSTILE_TASK_ARN);
        assertEquals(PageTargetsResource.HOSTILE_NAME, hostile.get("container"), "served as data, unchanged");
        assertEquals(PageTargetsResource.HOSTILE_FAMILY, hostile.get("family"));
        assertEquals("up", hostile.get("state"));

        assertTrue(v.getLong("cycle.sequence") > 0);
        assertEquals(3, v.getInt("cycle.targets"));
        assertEquals(2, v.getInt("cycle.up"));
        assertEquals(1, v.getInt("intervalSeconds"));
        assertTrue(v.getInt("sinks.mackerel.details.queuedBatches") >= 0);
        assertTrue(v.getBoolean("sinks.mackerel.details.authorized"));
        // the host's cost against its budget (relay.mackerel.host-metric-allowance 200 less the reserve 30)
        assertEquals(170, v.getInt("sinks.mackerel.details.hostMetricBudget"));
        assertTrue(v.getBoolean("sinks.mackerel.up"));
        // 2 up tasks with 15 gostats series + gostats_up for 3 targets + gostats_info for 2 + 1 fetch-error series
        assertTrue(v.getInt("sinks.prometheus.details.series") >= 3 + 2 + 2 * 15, v.prettify());
        assertTrue(v.getString("sinks.prometheus.state").endsWith(" series on /q/metrics"), v.prettify());
        List<Map<String, Object>> discovery = v.getList("discovery");
        assertEquals(2, discovery.size(), discovery.toString());
        assertTrue(discovery.stream().allMatch(s -> Boolean.TRUE.equals(s.get("up"))), discovery.toString());

        String raw = get("/api/targets");
        assertFalse(raw.contains(apiKey), "the Mackerel API key must not be shown");
        assertFalse(raw.contains(PASSWORD), "the page password must not be shown");
        String page = get("/");
        assertTrue(page.contains("<script src=\"targets.js\"></script>"), page);
        assertFalse(page.contains(PASSWORD));
        given().auth().preemptive().basic(USER, PASSWORD).get("/").then().statusCode(200)
                .header("Content-Security-Policy", containsString("script-src 'self'"));
    }

    static String get(String path) {
        return given().auth().preemptive().basic(USER, PASSWORD).get(path).then().statusCode(200).extract().asString();
    }

    static JsonPath waitForTargets(int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            JsonPath v = new JsonPath(get("/api/targets"));
            List<Map<String, Object>> targets = v.getList("targets");
            boolean keyed = targets.stream().filter(t -> "up".equals(t.get("state")))
                    .allMatch(t -> t.get("names") instanceof Map<?, ?> names && names.containsKey("mackerel"));
            if (targets.size() == n && v.getInt("cycle.up") == n - 1 && keyed || System.nanoTime() > deadline) {
                return v;
            }
            Thread.sleep(200);
        }
    }

    static Map<String, Object> only(List<Map<String, Object>> targets, String field, Object value) {
        List<Map<String, Object>> found = targets.stream().filter(t -> value.equals(t.get(field))).toList();
        assertEquals(1, found.size(), field + "=" + value + " in " + targets);
        return found.get(0);
    }
}
