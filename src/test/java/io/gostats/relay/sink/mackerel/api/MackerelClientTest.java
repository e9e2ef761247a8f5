package io.gostats.relay.sink.mackerel.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.gostats.relay.FreePorts;
import io.gostats.relay.sink.mackerel.api.FakeMackerel.Fault;
import io.gostats.relay.sink.mackerel.api.FakeMackerel.PointKey;
import io.gostats.relay.sink.mackerel.api.PostOutcome.Retry.Cause;
import io.gostats.relay.sink.mackerel.graphs.GraphSets;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The client against the strict fake: every answer becomes the right outcome, and the key never shows. */
@QuarkusTest
@TestProfile(WithFakeMackerel.Profile.class)
class MackerelClientTest extends WithFakeMackerel {

    String host;
    long now;

    @BeforeEach
    void addHost() {
        host = fake.addHost("task-1", "ecs/task-1");
        now = Instant.now().getEpochSecond() / 60 * 60;
    }

    MetricValue value(String name, double v) {
        return new MetricValue(host, name, now, v);
    }

    PostOutcome<Void> post(MetricValue... values) {
        return await(client.postMetrics(List.of(values))).outcome();
    }

    @Test
    void postedValuesAreRecordedExactly() {
        MetricsPost p = await(client.postMetrics(List.of(value("custom.gostats.32768.runtime.goroutine_num", 4),
                value("custom.gostats.32768.gc.gc_num", 2825.625))));
        assertEquals(new MetricsPost(2, 0, new PostOutcome.Ok<>(null)), p);
        assertEquals(Map.of(new PointKey(host, "custom.gostats.32768.runtime.goroutine_num", now), 4.0,
                new PointKey(host, "custom.gostats.32768.gc.gc_num", now), 2825.625), fake.points());
        FakeMackerel.Received r = fake.requests().get(0);
        assertEquals("gostats-relay/" + io.gostats.relay.config.RelayVersion.version(), r.userAgent());
        assertEquals(r.bodyBytes(), fake.maxBodyBytes(FakeMackerel.TSDB));
    }

    @Test
    void nonFiniteValuesAreDroppedAndCounted() {
        MetricsPost p = await(client.postMetrics(List.of(value("custom.a.nan", Double.NaN),
                value("custom.a.ok", 1), value("custom.a.inf", Double.POSITIVE_INFINITY),
                value("custom.a.ninf", Double.NEGATIVE_INFINITY))));
        assertEquals(new MetricsPost(1, 3, new PostOutcome.Ok<>(null)), p);
        assertEquals(Map.of(new PointKey(host, "custom.a.ok", now), 1.0), fake.points());

        MetricsPost none = await(client.postMetrics(List.of(value("custom.a.nan", Double.NaN))));
        assertEquals(new MetricsPost(0, 1, new PostOutcome.Ok<>(null)), none);
        assertEquals(1, fake.requestCount(), "nothing left to post, nothing posted");
    }

    @Test
    void serverErrorsAndRateLimitsAreRetries() {
        fake.failNext(FakeMackerel.TSDB, 1, Fault.status(503, "maintenance"));
        fake.failNext(FakeMackerel.TSDB, 1, Fault.status(429, "too many requests"));
        fake.failNext(FakeMackerel.TSDB, 1, Fault.rawStatus(502, "<html><body>Bad Gateway</body></html>"));
        assertEquals(new PostOutcome.Retry<>(Cause.SERVER_ERROR, "HTTP 503: maintenance"), post(value("custom.a.b", 1)));
        assertEquals(new PostOutcome.Retry<>(Cause.RATE_LIMITED, "HTTP 429: too many requests"),
                post(value("custom.a.b", 1)));
        assertEquals(new PostOutcome.Retry<>(Cause.SERVER_ERROR, "HTTP 502: Bad Gateway"), post(value("custom.a.b", 1)));
        assertTrue(fake.points().isEmpty());
        assertTrue(post(value("custom.a.b", 1)).isOk(), "the failures were for three requests only");
    }

    @Test
    void aRateLimitsRetryAfterIsRead() {
        fake.failNext(FakeMackerel.TSDB, 1, Fault.retryAfter(429, "120"));
        fake.failNext(FakeMackerel.TSDB, 1, Fault.retryAfter(503, "Fri, 31 Dec 2100 23:59:59 GMT"));
        fake.failNext(FakeMackerel.TSDB, 1, Fault.retryAfter(500, "30"));
        PostOutcome.Retry<?> limited = assertInstanceOf(PostOutcome.Retry.class, post(value("custom.a.b", 1)));
        assertEquals(Optional.of(Duration.ofSeconds(120)), limited.retryAfter());
        PostOutcome.Retry<?> unavailable = assertInstanceOf(PostOutcome.Retry.class, post(value("custom.a.b", 1)));
        assertTrue(unavailable.retryAfter().orElseThrow().toDays() > 365, unavailable::toString);
        PostOutcome.Retry<?> error = assertInstanceOf(PostOutcome.Retry.class, post(value("custom.a.b", 1)));
        assertEquals(Optional.empty(), error.retryAfter(), "only a 429 or 503 says when to come back");
    }

    @Test
    void resetConnectionIsANetworkRetry() {
        fake.failNext(1, Fault.reset());
        PostOutcome.Retry<?> r = assertInstanceOf(PostOutcome.Retry.class, post(value("custom.a.b", 1)));
        assertEquals(Cause.NETWORK, r.cause(), r::toString);
        assertTrue(fake.points().isEmpty());
    }

    @Test
    void refusedConnectionIsANetworkRetry() throws Exception {
        int port = FreePorts.any();
        try (MackerelClient c = new MackerelClient(URI.create("http://127.0.0.1:" + port), KEY)) {
            PostOutcome<Void> o = await(c.postMetrics(List.of(value("custom.a.b", 1)))).outcome();
            assertEquals(Cause.NETWORK, assertInstanceOf(PostOutcome.Retry.class, o).cause(), o::toString);
        }
    }

    @Test
    void stalledAnswerIsATimeoutRetryWithinTheClientTimeout() {
        fake.failNext(1, Fault.stallUntilReleased());
        try (MackerelClient c = new MackerelClient(fake.baseUri(), KEY, Duration.ofMillis(300))) {
            long start = System.nanoTime();
            PostOutcome<Void> o = await(c.postMetrics(List.of(value("custom.a.b", 1)))).outcome();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertEquals(Cause.TIMEOUT, assertInstanceOf(PostOutcome.Retry.class, o).cause(), o::toString);
            assertTrue(took.compareTo(Duration.ofSeconds(3)) < 0, "took " + took);
        }
        fake.releaseStalls();
    }

    @Test
    void wrongKeyOrMissingPermissionIsUnauthorizedAndNeverShowsTheKey() {
        String wrongKey = "WrongKeyZZZ987654321";
        try (MackerelClient c = new MackerelClient(fake.baseUri(), wrongKey)) {
            PostOutcome<Void> o = await(c.postMetrics(List.of(value("custom.a.b", 1)))).outcome();
            PostOutcome.Unauthorized<?> u = assertInstanceOf(PostOutcome.Unauthorized.class, o);
            assertEquals(403, u.status());
            assertTrue(u.message().contains("API key is wrong or lacks Write permission"), u.message());
            assertFalse(o.toString().contains(wrongKey) || c.toString().contains(wrongKey), o::toString);
        }
        fake.failNext(1, Fault.status(401, "invalid key " + KEY));
        PostOutcome<Void> o = post(value("custom.a.b", 1));
        assertEquals(401, assertInstanceOf(PostOutcome.Unauthorized.class, o).status());
        assertFalse(o.toString().contains(KEY), o::toString);
        assertFalse(client.toString().contains(KEY));
        assertTrue(fake.points().isEmpty());
    }

    @Test
    void badRequestIsRejectedWithMackerelsMessage() {
        fake.failNext(1, Fault.status(400, "Invalid metric value"));
        assertEquals(new PostOutcome.Rejected<>(400, "Invalid metric value"), post(value("custom.a.b", 1)));
        fake.failNext(1, Fault.rawStatus(400, "{\"error\":\"the plain form\"}"));
        assertEquals(new PostOutcome.Rejected<>(400, "the plain form"), post(value("custom.a.b", 1)));
    }

    @Test
    void nameWithTwoDotsInARowIsRejectedByTheFake() {
        PostOutcome<Void> o = post(value("custom.gostats..runtime", 1), value("custom.a.b", 1));
        PostOutcome.Rejected<?> r = assertInstanceOf(PostOutcome.Rejected.class, o);
        assertEquals(400, r.status());
        assertTrue(r.message().contains("custom.gostats..runtime"), r.message());
        assertTrue(fake.points().isEmpty(), "a rejected request records nothing");
    }

    @Test
    void gostatsWildcardGraphDefinitionsObeyTheWildcardRules() {
        List<GraphDefinition> defs = GraphSets.gostatsWildcard("gostats");
        assertEquals(new PostOutcome.Ok<Void>(null), await(client.postGraphDefs(defs)));
        assertEquals(defs, List.copyOf(fake.graphDefs().values()));
    }

    @Test
    void hostLifecycle() {
        String customId = "ecs/prod cluster/0a1b2c";
        String id = ok(await(client.registerHost(HostRegistration.of("api-task", customId, List.of("Gostats:api")))));
        assertEquals(List.of("Gostats:api"), fake.hosts().get(id).roleFullnames());

        Host h = ok(await(client.findHostByCustomIdentifier(customId))).orElseThrow();
        assertEquals(new Host(id, "api-task", customId, false, Map.of("Gostats", List.of("api")), Map.of()), h);
        assertEquals(new PostOutcome.Ok<>(Optional.of(h)), await(client.getHost(id)));

        assertEquals(new PostOutcome.Ok<Void>(null), await(client.retireHost(id)));
        assertEquals(new PostOutcome.Ok<>(Optional.empty()), await(client.findHostByCustomIdentifier(customId)));
        assertTrue(ok(await(client.getHost(id))).orElseThrow().retired());
        assertEquals(404, assertInstanceOf(PostOutcome.Rejected.class, await(client.retireHost(id))).status());
        assertEquals(new PostOutcome.Ok<>(Optional.empty()), await(client.getHost("nosuchhost")));
    }

    @Test
    void dashboardsAreCreatedListedAndUpdatedAndAPathIsTakenOnce() {
        List<JsonNode> widgets = List.of(FakeMackerel.JSON.createObjectNode().put("type", "markdown")
                .put("title", "about").put("markdown", "hi")
                .set("layout", FakeMackerel.JSON.createObjectNode().put("x", 0).put("y", 0).put("width", 6)
                        .put("height", 4)));
        Dashboard d = new Dashboard(null, "Gostats", "", "gostats/overview", widgets);
        Dashboard created = ok(await(client.createDashboard(d)));
        assertEquals(new Dashboard(created.id(), "Gostats", "", "gostats/overview", widgets), created);

        PostOutcome<Dashboard> again = await(client.createDashboard(d));
        assertEquals(409, assertInstanceOf(PostOutcome.Rejected.class, again).status());

        Dashboard renamed = new Dashboard(created.id(), "Gostats tasks", "", "gostats/overview", widgets);
        assertEquals(renamed, ok(await(client.updateDashboard(created.id(), renamed))));
        assertEquals(new PostOutcome.Ok<>(List.of(renamed)), await(client.listDashboards()));

        PostOutcome<Dashboard> badPath = await(client.createDashboard(
                new Dashboard(null, "x", "", "/leading-slash", List.of())));
        assertEquals(400, assertInstanceOf(PostOutcome.Rejected.class, badPath).status());
    }

    /**
     * Hosts are looked up by the hosts list query, as the official agents do; an unknown host is empty whether
     * Mackerel answers 404 or {@code 200 {"host": null}} (the docs do not say which).
     */
    @Test
    void unknownHostsAreEmptyWhetherMackerelAnswers404OrANullHost() {
        // its own client with the Go client's timeout: run first, this test pays for the first REST call of the JVM
        try (MackerelClient c = new MackerelClient(fake.baseUri(), KEY)) {
            assertEquals(Optional.empty(), ok(await(c.getHost("nope"))));
            assertEquals(Optional.empty(), ok(await(c.findHostByCustomIdentifier("i-none"))));
            fake.notFoundAsNullHost(true);
            assertEquals(Optional.empty(), ok(await(c.getHost("nope"))));
            assertEquals("ecs/task-1", ok(await(c.findHostByCustomIdentifier("ecs/task-1"))).orElseThrow()
                    .customIdentifier());
        }
        assertTrue(fake.requests().stream().anyMatch(r -> r.method().equals("GET") && r.path().equals("/api/v0/hosts")),
                "the hosts list query");
        assertTrue(fake.requests().stream().noneMatch(r -> r.path().contains("hosts-by-custom-identifier")));
    }
}
