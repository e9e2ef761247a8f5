package io.gostats.relay.collect;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.Options;

import io.gostats.relay.ConfigErrorsTest;
import io.gostats.relay.TestData;
import io.gostats.relay.model.ExpvarKeys;
import io.gostats.relay.model.FailureReason;
import io.gostats.relay.model.FetchResult;
import io.gostats.relay.model.SourceFormat;
import io.gostats.relay.model.Target;
import io.gostats.relay.model.TaskIdentity;
import io.vertx.core.Vertx;

/**
 * Each format fetched over HTTP as its server serves it: client_golang answers the relay's Accept with protobuf (and
 * curl's with text), expvar and golang-stats ignore it; the size cap (64K here) holds for each.
 */
class CollectorFormatsTest {

    static final String PROTO_CT =
            "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited";

    static WireMockServer server;

    // built directly: a deadline far above this machine's worst pauses, and no application to start
    static Vertx vertx;
    static Collector collector;

    @BeforeAll
    static void startServer() {
        server = new WireMockServer(options().dynamicPort().containerThreads(16)
                .useChunkedTransferEncoding(Options.ChunkedEncodingPolicy.NEVER));
        server.start();
        // client_golang: protobuf for an Accept that lists it, text 0.0.4 for anything else
        server.stubFor(get("/metrics").atPriority(1).withHeader("Accept", containing("encoding=delimited"))
                .willReturn(ok(PROTO_CT, TestData.bytes("go-formats/metrics-protobuf-delimited.bin"))));
        server.stubFor(get("/metrics").atPriority(2).willReturn(ok("text/plain; version=0.0.4; charset=utf-8",
                TestData.bytes("go-formats/metrics-text-0.0.4.txt"))));
        server.stubFor(get("/text").willReturn(ok("text/plain; version=0.0.4; charset=utf-8",
                TestData.bytes("go-formats/metrics-text-0.0.4.txt"))));
        server.stubFor(get("/debug/vars").willReturn(ok("application/json; charset=utf-8",
                TestData.bytes("go-formats/debug-vars-with-published-extras.json"))));
        server.stubFor(get("/stats").willReturn(ok("application/json", TestData.bytes("samples/stats-churn.json"))));
        server.stubFor(get("/untyped").willReturn(aResponse().withStatus(200)
                .withBody(TestData.bytes("go-formats/metrics-protobuf-delimited.bin"))));
        byte[] pad = "#".repeat(70 * 1024).getBytes(StandardCharsets.UTF_8);
        server.stubFor(get("/big-text").willReturn(ok("text/plain; version=0.0.4", concat(pad, "\nx 1\n"))));
        server.stubFor(get("/big-proto").willReturn(ok(PROTO_CT, new byte[70 * 1024])));
        server.stubFor(get("/big-vars").willReturn(ok("application/json",
                concat(("{\"memstats\":{},\"pad\":\"" + "x".repeat(70 * 1024)).getBytes(StandardCharsets.UTF_8),
                        "\"}"))));
        server.stubFor(get("/big-stats").willReturn(ok("application/json",
                concat(("{\"goroutine_num\":1,\"pad\":\"" + "x".repeat(70 * 1024)).getBytes(StandardCharsets.UTF_8),
                        "\"}"))));
        vertx = Vertx.vertx();
        collector = new Collector(ConfigErrorsTest.config("relay.collect.timeout", "20s",
                "relay.collect.max-body-size", "64K"), vertx,
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    }

    static byte[] concat(byte[] a, String b) {
        byte[] tail = b.getBytes(StandardCharsets.UTF_8);
        byte[] all = java.util.Arrays.copyOf(a, a.length + tail.length);
        System.arraycopy(tail, 0, all, a.length, tail.length);
        return all;
    }

    static ResponseDefinitionBuilder ok(String contentType, byte[] body) {
        return aResponse().withStatus(200).withHeader("Content-Type", contentType).withBody(body);
    }

    @AfterAll
    static void stopServer() {
        collector.close();
        vertx.close();
        server.stop();
    }

    static Target target(String path, Optional<SourceFormat> format) {
        return new Target("t" + path, "127.0.0.1", server.port(), path, 8080, TaskIdentity.NONE, format,
                ExpvarKeys.COMMON);
    }

    Map<String, FetchResult> collect(List<Target> targets) {
        return collector.collect(targets).await().atMost(Duration.ofSeconds(30)).stream()
                .collect(Collectors.toMap(r -> r.target().path(), Function.identity()));
    }

    @Test
    void eachFormatIsReadFromItsReply() {
        Map<String, FetchResult> r = collect(List.of(target("/metrics", Optional.empty()),
                target("/text", Optional.empty()), target("/debug/vars", Optional.empty()),
                target("/stats", Optional.empty()), target("/untyped", Optional.of(SourceFormat.PROMETHEUS))));
        FetchResult.Sample proto = assertInstanceOf(FetchResult.Sample.class, r.get("/metrics"), r::toString);
        assertEquals(SourceFormat.PROMETHEUS, proto.runtime().format());
        assertEquals(11, proto.runtime().gcCycles().getAsLong(), "the protobuf capture, not the text one (10)");
        FetchResult.Sample text = assertInstanceOf(FetchResult.Sample.class, r.get("/text"), r::toString);
        assertEquals(10, text.runtime().gcCycles().getAsLong());
        FetchResult.Sample vars = assertInstanceOf(FetchResult.Sample.class, r.get("/debug/vars"), r::toString);
        assertEquals(SourceFormat.EXPVAR, vars.runtime().format());
        assertEquals(4, vars.runtime().goroutines().getAsLong());
        FetchResult.Sample stats = assertInstanceOf(FetchResult.Sample.class, r.get("/stats"), r::toString);
        assertEquals(SourceFormat.GOSTATS, stats.runtime().format());
        FetchResult.Sample untyped = assertInstanceOf(FetchResult.Sample.class, r.get("/untyped"), r::toString);
        assertEquals(11, untyped.runtime().gcCycles().getAsLong(), "no Content-Type: the body tells");

        List<String> accepts = server.findAll(getRequestedFor(urlEqualTo("/metrics"))).stream()
                .map(q -> q.getHeader("Accept")).toList();
        assertFalse(accepts.isEmpty());
        for (String accept : accepts) {
            assertEquals("application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;"
                    + "q=0.7,text/plain;version=0.0.4;q=0.3,application/json;q=0.2", accept);
            assertFalse(accept.contains("*/*") || accept.contains("openmetrics"), accept);
        }
    }

    @Test
    void theSizeCapHoldsForEachFormat() {
        Map<String, FetchResult> r = collect(List.of(target("/big-text", Optional.empty()),
                target("/big-proto", Optional.empty()), target("/big-vars", Optional.empty()),
                target("/big-stats", Optional.empty())));
        r.forEach((path, result) -> assertEquals(FailureReason.TOO_LARGE,
                assertInstanceOf(FetchResult.Failure.class, result, path).reason(), path));
    }
}
