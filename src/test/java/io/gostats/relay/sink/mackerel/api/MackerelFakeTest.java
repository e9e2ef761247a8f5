package io.gostats.relay.sink.mackerel.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.gostats.relay.sink.mackerel.api.FakeMackerel.Fault;
import io.gostats.relay.sink.mackerel.api.FakeMackerel.PointKey;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

/** The fake's own strictness, with raw bodies no well-behaved client would send. */
class MackerelFakeTest {

    static final String KEY = "fakeKey0123456789";
    static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");

    final AtomicReference<Instant> clock = new AtomicReference<>(NOW);
    FakeMackerel fake;
    String host;

    @BeforeEach
    void start() {
        fake = FakeMackerel.start(KEY, clock::get);
        host = fake.addHost("task-1", null);
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    RequestSpecification api() {
        return given().baseUri(fake.baseUri().toString()).header("X-Api-Key", KEY).contentType("application/json");
    }

    ValidatableResponse post(String path, String body) {
        return api().body(body).post(path).then();
    }

    String point(String name, long time, String value) {
        return "{\"hostId\":\"" + host + "\",\"name\":\"" + name + "\",\"time\":" + time + ",\"value\":" + value + "}";
    }

    String tsdb(String... points) {
        return "[" + String.join(",", points) + "]";
    }

    @Test
    void theKeyIsRequired() {
        String body = tsdb(point("custom.a.b", NOW.getEpochSecond(), "1"));
        given().baseUri(fake.baseUri().toString()).contentType("application/json").body(body)
                .post(FakeMackerel.TSDB).then().statusCode(403).body("error.message", containsString("API key"));
        given().baseUri(fake.baseUri().toString()).header("X-Api-Key", "other").contentType("application/json")
                .body(body).post(FakeMackerel.TSDB).then().statusCode(403);
        assertTrue(fake.points().isEmpty());
        assertEquals(2, fake.requestCount(FakeMackerel.TSDB));
    }

    @ParameterizedTest
    @ValueSource(strings = { "custom.a..b", "a.b", "custom.", "custom.a b", "custom.a/b", "custom.a:b", "custom.é" })
    void badNamesAreRefusedAndNothingIsRecorded(String name) {
        post(FakeMackerel.TSDB, tsdb(point("custom.ok", NOW.getEpochSecond(), "1"),
                point(name, NOW.getEpochSecond(), "1"))).statusCode(400).body("error.message", containsString(name));
        assertTrue(fake.points().isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "[{\"hostId\":\"%s\",\"name\":\"custom.a\",\"time\":1795262400,\"value\":NaN}]",
            "[{\"hostId\":\"%s\",\"name\":\"custom.a\",\"time\":1795262400,\"value\":Infinity}]",
            "[{\"hostId\":\"%s\",\"name\":\"custom.a\",\"time\":1795262400,\"value\":\"NaN\"}]",
            "[{\"hostId\":\"%s\",\"name\":\"custom.a\",\"time\":1795262400,\"value\":null}]",
            "[{\"hostId\":\"%s\",\"name\":\"custom.a\",\"time\":1795262400.5,\"value\":1}]",
            "[{\"hostId\":\"%s\",\"name\":\"custom.a\",\"time\":\"1795262400\",\"value\":1}]",
            "[{\"hostId\":\"%s\",\"name\":\"custom.a\",\"value\":1}]",
            "[{\"hostId\":\"%s\",\"name\":\"custom.a\",\"time\":1795262400,\"value\":1,\"extra\":1}]",
            "[{\"hostId\":\"%s\",\"name\":\"custom.a\",\"name\":\"custom.b\",\"time\":1795262400,\"value\":1}]",
            "[{\"hostId\":\"unknown%s\",\"name\":\"custom.a\",\"time\":1795262400,\"value\":1}]",
            "{\"hostId\":\"%s\",\"name\":\"custom.a\",\"time\":1795262400,\"value\":1}",
            "[{\"hostId\":\"%s\",\"name\":\"custom.a\",\"time\":1795262400,\"value\":1}] []",
            "" })
    void nonStrictValuesAreRefused(String template) {
        post(FakeMackerel.TSDB, template.formatted(host)).statusCode(400);
        assertTrue(fake.points().isEmpty());
    }

    @Test
    void aBodyThatIsNotDeclaredJsonIsRefused() {
        api().contentType("text/plain").body(tsdb(point("custom.a", NOW.getEpochSecond(), "1")))
                .post(FakeMackerel.TSDB).then().statusCode(415);
    }

    @Test
    void valuesOlderThanADayAreAnsweredOkButNotRecordedAndRepostsOverwrite() {
        long dayAgo = NOW.getEpochSecond() - 86_400;
        post(FakeMackerel.TSDB, tsdb(point("custom.a.old", dayAgo - 60, "1"), point("custom.a.edge", dayAgo, "2"),
                point("custom.a.now", NOW.getEpochSecond(), "3"))).statusCode(200).body("success", equalTo(true));
        assertEquals(Map.of(new PointKey(host, "custom.a.edge", dayAgo), 2.0,
                new PointKey(host, "custom.a.now", NOW.getEpochSecond()), 3.0), fake.points());
        assertEquals(1, fake.oldPointsDropped());

        clock.set(NOW.plusSeconds(120));
        post(FakeMackerel.TSDB, tsdb(point("custom.a.now", NOW.getEpochSecond(), "4.5"),
                point("custom.a.edge", dayAgo, "9"))).statusCode(200);
        assertEquals(Map.of(new PointKey(host, "custom.a.edge", dayAgo), 2.0,
                new PointKey(host, "custom.a.now", NOW.getEpochSecond()), 4.5), fake.points());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"name\":\"custom.x.#.#\",\"unit\":\"float\",\"metrics\":[{\"name\":\"custom.x.#.#.a\",\"isStacked\":false}]}",
            "{\"name\":\"custom.x.#\",\"unit\":\"float\",\"metrics\":[{\"name\":\"custom.x.#.#\",\"isStacked\":false}]}",
            "{\"name\":\"custom.x.#\",\"unit\":\"percent\",\"metrics\":[{\"name\":\"custom.x.#.a\",\"isStacked\":false}]}",
            "{\"name\":\"custom.x.#\",\"unit\":\"float\",\"metrics\":[{\"name\":\"custom.x.a\",\"isStacked\":false}]}",
            "{\"name\":\"custom.x.#\",\"unit\":\"float\",\"metrics\":[{\"name\":\"custom.x.#.a.b\",\"isStacked\":false}]}",
            "{\"name\":\"custom.x#\",\"unit\":\"float\",\"metrics\":[{\"name\":\"custom.x#.a\",\"isStacked\":false}]}",
            "{\"name\":\"x.#\",\"unit\":\"float\",\"metrics\":[{\"name\":\"x.#.a\",\"isStacked\":false}]}",
            "{\"name\":\"custom.x.#\",\"unit\":\"float\",\"metrics\":[{\"name\":\"custom.x.#.a\",\"stacked\":false}]}",
            "{\"name\":\"custom.x.#\",\"unit\":\"float\",\"metrics\":[{\"name\":\"custom.x.#.a\",\"isStacked\":\"no\"}]}",
            "{\"name\":\"custom.x.#\",\"unit\":\"float\",\"metrics\":[]}",
            "{\"name\":\"custom.x.#\",\"unit\":null,\"metrics\":[{\"name\":\"custom.x.#.a\"}]}" })
    void graphDefinitionsBreakingTheRulesAreRefused(String def) {
        post(FakeMackerel.GRAPH_DEFS, "[" + def + "]").statusCode(400);
        assertTrue(fake.graphDefs().isEmpty());
    }

    @Test
    void graphDefinitionsWithinTheRulesAreRecordedByName() {
        post(FakeMackerel.GRAPH_DEFS, "[{\"name\":\"custom.x.*.#\",\"metrics\":[{\"name\":\"custom.x.*.#.*\"}]},"
                + "{\"name\":\"custom.y\",\"displayName\":\"Y\",\"unit\":\"bytes/sec\","
                + "\"metrics\":[{\"name\":\"custom.y.rx-bytes\",\"displayName\":\"%1 rx\",\"isStacked\":true}]}]")
                .statusCode(200).body("success", equalTo(true));
        assertEquals(new GraphDefinition("custom.y", "Y", "bytes/sec",
                java.util.List.of(new GraphDefinition.Metric("custom.y.rx-bytes", "%1 rx", true))),
                fake.graphDefs().get("custom.y"));
        assertTrue(fake.graphDefs().containsKey("custom.x.*.#"));
    }

    @Test
    void hostsAreRegisteredOncePerCustomIdentifierWithValidRoles() {
        String id = post("/api/v0/hosts", "{\"name\":\"t\",\"customIdentifier\":\"c/1\",\"meta\":{},"
                + "\"roleFullnames\":[\"Gostats:api\"]}").statusCode(200).extract().path("id");
        post("/api/v0/hosts", "{\"name\":\"t2\",\"customIdentifier\":\"c/1\",\"meta\":{}}").statusCode(400);
        post("/api/v0/hosts", "{\"name\":\"t2\",\"meta\":{},\"roleFullnames\":[\"Gostats\"]}").statusCode(400);
        post("/api/v0/hosts", "{\"name\":\"t2\",\"meta\":{},\"roleFullnames\":[\"_x:api\"]}").statusCode(400);
        post("/api/v0/hosts", "{\"name\":\"t2\"}").statusCode(400);
        api().urlEncodingEnabled(false).get("/api/v0/hosts-by-custom-identifier/c%2F1").then().statusCode(200).body("host.id", equalTo(id))
                .body("host.roles.Gostats[0]", equalTo("api")).body("host.isRetired", equalTo(false));
        post("/api/v0/hosts/" + id + "/retire", "{}").statusCode(200);
        api().urlEncodingEnabled(false).get("/api/v0/hosts-by-custom-identifier/c%2F1").then().statusCode(404);
        post("/api/v0/hosts/" + id + "/retire", "{}").statusCode(404);
        post(FakeMackerel.TSDB, "[{\"hostId\":\"" + id + "\",\"name\":\"custom.a\",\"time\":" + NOW.getEpochSecond()
                + ",\"value\":1}]").statusCode(400).body("error.message", containsString("unknown host"));
    }

    @Test
    void dashboardPathsAndLayoutsAreChecked() {
        String widget = "{\"type\":\"graph\",\"title\":\"g\",\"graph\":{\"type\":\"expression\",\"expression\":\"x\"},"
                + "\"layout\":{\"x\":%d,\"y\":0,\"width\":%d,\"height\":6}}";
        String ok = "{\"title\":\"t\",\"memo\":\"\",\"urlPath\":\"a/b-c\",\"widgets\":[" + widget.formatted(0, 12) + ","
                + widget.formatted(12, 12) + "]}";
        post("/api/v0/dashboards", ok).statusCode(200).body("urlPath", equalTo("a/b-c"));
        post("/api/v0/dashboards", ok).statusCode(409);
        post("/api/v0/dashboards", ok.replace("a/b-c", "a//b")).statusCode(400);
        post("/api/v0/dashboards", ok.replace("a/b-c", "-a")).statusCode(400);
        String overlap = "{\"title\":\"t\",\"urlPath\":\"o\",\"widgets\":[" + widget.formatted(0, 12) + ","
                + widget.formatted(6, 12) + "]}";
        post("/api/v0/dashboards", overlap).statusCode(400).body("error.message", containsString("overlap"));
        post("/api/v0/dashboards", "{\"title\":\"t\",\"urlPath\":\"s\",\"widgets\":[" + widget.formatted(0, 4) + "]}")
                .statusCode(400);
        api().get("/api/v0/dashboards").then().statusCode(200).body("dashboards.size()", equalTo(1));
    }

    @Test
    void injectedFailuresLastForTheirCountOrUntilCleared() {
        String body = tsdb(point("custom.a", NOW.getEpochSecond(), "1"));
        fake.failNext(2, Fault.status(500));
        post(FakeMackerel.TSDB, body).statusCode(500).body("error.message", equalTo("injected HTTP 500"));
        post(FakeMackerel.TSDB, body).statusCode(500);
        post(FakeMackerel.TSDB, body).statusCode(200);

        fake.failUntilCleared(FakeMackerel.TSDB, Fault.status(429));
        for (int i = 0; i < 3; i++) {
            post(FakeMackerel.TSDB, body).statusCode(429);
        }
        post(FakeMackerel.GRAPH_DEFS, "[]").statusCode(200);
        fake.clearFailures();
        post(FakeMackerel.TSDB, body).statusCode(200);
        assertEquals(7, fake.requestCount(FakeMackerel.TSDB));
        assertEquals(body.length(), fake.maxBodyBytes(FakeMackerel.TSDB));
    }

    @Test
    void aStallHoldsTheAnswerThenAnswersNormally() {
        fake.failNext(1, Fault.stall(Duration.ofMillis(300)));
        long start = System.nanoTime();
        post(FakeMackerel.TSDB, tsdb(point("custom.a", NOW.getEpochSecond(), "1"))).statusCode(200);
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(300).toNanos());
        assertEquals(1, fake.points().size());
    }

    // where the documentation is silent, each answer the fake can give, one test per branch

    @Test
    void anUnknownHostIs404ByDefaultOrANullHostWhenChosen() {
        api().get("/api/v0/hosts/nope").then().statusCode(404).body("error.message", containsString("nope"));
        api().get("/api/v0/hosts-by-custom-identifier/i-none").then().statusCode(404);
        fake.notFoundAsNullHost(true);
        api().get("/api/v0/hosts/nope").then().statusCode(200).body("host", nullValue());
        api().get("/api/v0/hosts-by-custom-identifier/i-none").then().statusCode(200).body("host", nullValue());
    }

    @Test
    void theHostsListQueryFindsLiveHostsByCustomIdentifier() {
        String id = fake.addHost("i-1", "i-1.ec2.amazonaws.com");
        String statuses = "&status=working&status=standby&status=maintenance&status=poweroff";
        api().get("/api/v0/hosts?customIdentifier=i-1.ec2.amazonaws.com" + statuses).then().statusCode(200)
                .body("hosts.id", contains(id));
        fake.retire(id);
        api().get("/api/v0/hosts?customIdentifier=i-1.ec2.amazonaws.com" + statuses).then().statusCode(200)
                .body("hosts", empty());
    }

    @Test
    void valuesForARetiredHostAre400ByDefaultOr404WhenChosen() {
        fake.retire(host);
        String body = tsdb(point("custom.a.b", NOW.getEpochSecond(), "1"));
        post(FakeMackerel.TSDB, body).statusCode(400).body("error.message", containsString(host));
        fake.tsdbUnknownHostStatus(404);
        post(FakeMackerel.TSDB, body).statusCode(404);
        assertTrue(fake.points().isEmpty());
    }

    @Test
    void bodiesOverTheChosenLimitAre413() {
        fake.bodyLimit(100);
        String body = tsdb(point("custom.a.b", NOW.getEpochSecond(), "1"), point("custom.a.c", NOW.getEpochSecond(),
                "2"));
        post(FakeMackerel.TSDB, body).statusCode(413);
        fake.bodyLimit(0);
        post(FakeMackerel.TSDB, body).statusCode(200);
        assertEquals(2, fake.points().size());
    }
}
