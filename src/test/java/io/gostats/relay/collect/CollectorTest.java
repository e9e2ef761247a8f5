package io.gostats.relay.collect;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.Options;
import com.github.tomakehurst.wiremock.http.Fault;

import io.gostats.relay.TestData;
import io.gostats.relay.collect.format.StatsParser;
import io.gostats.relay.model.TaskIdentity;
import io.gostats.relay.model.Target;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.gostats.relay.FreePorts;
import io.gostats.relay.model.FetchResult;
import io.gostats.relay.model.FailureReason;

/** The fan-out against real local HTTP servers: concurrency, isolation of bad targets, the deadline, the size cap. */
@QuarkusTest
@TestProfile(CollectorTest.Profile.class)
class CollectorTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("relay.discovery.docker.enabled", "false",
                    "relay.collect.timeout", "1s",
                    "relay.collect.max-body-size", "64K",
                    "relay.collect.concurrency", "16");
        }
    }

    static WireMockServer server;
    static final byte[] CHURN = TestData.bytes("samples/stats-churn.json");

    @Inject
    Collector collector;

    @BeforeAll
    static void startServer() {
        server = new WireMockServer(options().dynamicPort().containerThreads(64).asynchronousResponseEnabled(true)
                .useChunkedTransferEncoding(Options.ChunkedEncodingPolicy.NEVER));
        server.start();
        server.stubFor(get("/stats").willReturn(ok(CHURN)));
        server.stubFor(get(urlPathEqualTo("/slow")).willReturn(ok(CHURN).withFixedDelay(600)));
        server.stubFor(get("/hang").willReturn(ok(CHURN).withFixedDelay(30_000)));
        server.stubFor(get("/html").willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/html")
                .withBody("<html><body>hello</body></html>")));
        server.stubFor(get("/truncated").willReturn(ok("{\"time\":1795530545878157398,\"go_vers".getBytes())));
        server.stubFor(get("/error").willReturn(aResponse().withStatus(500).withBody("boom")));
        server.stubFor(get("/reset").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        server.stubFor(get("/garbage").willReturn(aResponse().withFault(Fault.RANDOM_DATA_THEN_CLOSE)));
        server.stubFor(get("/big").willReturn(ok(new byte[200 * 1024])));
        server.stubFor(get("/drip").willReturn(ok(CHURN).withChunkedDribbleDelay(100, 10_000)));
    }

    static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder ok(byte[] body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
    }

    @AfterAll
    static void stopServer() {
        server.stop();
    }

    static Target target(String path) {
        return target(server.port(), path);
    }

    static Target target(int port, String path) {
        return new Target("t" + port + path, "127.0.0.1", port, path, 8080, TaskIdentity.NONE);
    }

    List<FetchResult> collect(List<Target> targets) {
        return collector.collect(targets).await().atMost(Duration.ofSeconds(30));
    }

    static Map<String, FetchResult> byPath(List<FetchResult> results) {
        return results.stream().collect(Collectors.toMap(r -> r.target().path(), Function.identity()));
    }

    static FailureReason reason(FetchResult r) {
        return assertInstanceOf(FetchResult.Failure.class, r, () -> r.target().path() + " did not fail").reason();
    }

    @Test
    void goodTargetGivesTheParsedSample() {
        FetchResult r = collect(List.of(target("/stats"))).get(0);
        FetchResult.Sample s = assertInstanceOf(FetchResult.Sample.class, r, r::toString);
        assertEquals(StatsParser.parse(TestData.bytes("samples/stats-churn.json")), s.runtime());
        server.verify(1, getRequestedFor(urlEqualTo("/stats")));
        server.resetRequests();
    }

    @Test
    void slowTargetsAreFetchedConcurrently() {
        List<Target> targets = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            targets.add(new Target("slow" + i, "127.0.0.1", server.port(), "/slow?i=" + i, 8080, TaskIdentity.NONE));
        }
        long start = System.nanoTime();
        List<FetchResult> results = collect(targets);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(8, results.stream().filter(r -> r instanceof FetchResult.Sample).count(), results::toString);
        // one after another would take 8 x 600 ms; together they take about one
        assertTrue(ms < 8 * 600 / 2, "8 slow targets took " + ms + " ms");
    }

    @Test
    void badTargetsFailWithTheirReasonAndCostTheGoodOnesNothing() throws IOException {
        int closedPort = FreePorts.any();
        List<Target> targets = List.of(target("/stats"), target("/hang"), target(closedPort, "/refused"),
                target("/html"), target("/truncated"), target("/error"), target("/reset"), target("/garbage"));
        long start = System.nanoTime();
        Map<String, FetchResult> r = byPath(collect(targets));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertInstanceOf(FetchResult.Sample.class, r.get("/stats"));
        assertEquals(FailureReason.TIMEOUT, reason(r.get("/hang")));
        assertEquals(FailureReason.REFUSED, reason(r.get("/refused")));
        assertEquals(FailureReason.MALFORMED, reason(r.get("/html")));
        assertEquals(FailureReason.MALFORMED, reason(r.get("/truncated")));
        assertEquals(FailureReason.HTTP_STATUS, reason(r.get("/error")));
        assertEquals("HTTP 500", ((FetchResult.Failure) r.get("/error")).detail());
        assertEquals(FailureReason.CONNECTION, reason(r.get("/reset")));
        assertTrue(Map.of(FailureReason.CONNECTION, 1, FailureReason.MALFORMED, 1)
                .containsKey(reason(r.get("/garbage"))), r.get("/garbage").toString());
        // the hanging target is cut at the 1 s deadline, and nothing waits for it longer
        assertTrue(ms < 4000, "the cycle took " + ms + " ms");
        assertTrue(r.get("/stats").took().toMillis() < 1000, "the good target waited: " + r.get("/stats").took());
    }

    @Test
    void aContentLengthOverTheCapIsRejectedBeforeTheBody() {
        FetchResult r = collect(List.of(target("/big"))).get(0);
        assertEquals(FailureReason.TOO_LARGE, reason(r));
        assertTrue(((FetchResult.Failure) r).detail().contains("Content-Length 204800"), r::toString);
    }

    @Test
    void aBodyWithoutLengthIsCutAtTheCapWhileStreaming() throws Exception {
        try (ServerSocket listener = new ServerSocket(0)) {
            // 100 MB announced by nothing: close-delimited, as an HTTP/1.0-style server would send it
            CompletableFuture<Long> sent = onOwnThread(() -> serve(listener,
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n", 6_400, 16 * 1024, 0));
            FetchResult r = collect(List.of(target(listener.getLocalPort(), "/stats"))).get(0);
            assertEquals(FailureReason.TOO_LARGE, reason(r));
            assertTrue(((FetchResult.Failure) r).detail().contains("cap of 65536"), r::toString);
            long bytes = sent.get(10, TimeUnit.SECONDS);
            assertTrue(bytes < 10 * 1024 * 1024, "the relay read " + bytes + " bytes before closing");
        }
    }

    @Test
    void aHundredMegabytesAnnouncedByContentLengthAreRejectedUnread() throws Exception {
        try (ServerSocket listener = new ServerSocket(0)) {
            CompletableFuture<Long> sent = onOwnThread(() -> serve(listener, "HTTP/1.1 200 OK\r\nContent-Type: "
                    + "application/json\r\nContent-Length: 104857600\r\n\r\n", 6_400, 16 * 1024, 0));
            FetchResult r = collect(List.of(target(listener.getLocalPort(), "/stats"))).get(0);
            assertEquals(FailureReason.TOO_LARGE, reason(r));
            long bytes = sent.get(10, TimeUnit.SECONDS);
            System.out.printf("100 MB with Content-Length: the server wrote %d bytes before the relay closed%n", bytes);
            assertTrue(bytes < 10 * 1024 * 1024, "the relay let the server write " + bytes + " bytes");
        }
    }

    @Test
    void aDrippingServerTimesOutAtTheDeadline() {
        FetchResult r = collect(List.of(target("/drip"))).get(0);
        assertEquals(FailureReason.TIMEOUT, reason(r));
        assertTrue(r.took().toMillis() < 1500, "took " + r.took());
    }

    @Test
    void cancellingAFetchAtTheDeadlineClosesItsConnection() throws Exception {
        try (ServerSocket listener = new ServerSocket(0)) {
            long start = System.nanoTime();
            CompletableFuture<Long> sent = onOwnThread(() -> serve(listener,
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{", 400, 1, 50));
            FetchResult r = collect(List.of(target(listener.getLocalPort(), "/stats"))).get(0);
            assertEquals(FailureReason.TIMEOUT, reason(r));
            long bytes = sent.get(10, TimeUnit.SECONDS);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(bytes < 400, "the server could drip all it had");
            assertTrue(ms < 3000, "the relay kept the dripping connection open for " + ms + " ms");
        }
    }

    /** The raw servers get their own thread: the common pool has a single one on two cores, and others use it. */
    private static <T> CompletableFuture<T> onOwnThread(java.util.function.Supplier<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread t = new Thread(() -> result.complete(task.get()), "raw-http-server");
        t.setDaemon(true);
        t.start();
        return result;
    }

    /**
     * Sends {@code head}, then {@code chunks} chunks of {@code chunkSize} spaces, {@code pauseMs} apart, until the
     * client closes the connection. Returns the body bytes it managed to send.
     */
    private static long serve(ServerSocket listener, String head, int chunks, int chunkSize, long pauseMs) {
        long sent = 0;
        try (Socket s = listener.accept()) {
            s.setSendBufferSize(4096);
            readRequestHead(s);
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[chunkSize];
            java.util.Arrays.fill(chunk, (byte) ' ');
            for (int i = 0; i < chunks; i++) {
                out.write(chunk);
                out.flush();
                sent += chunkSize;
                if (pauseMs > 0) {
                    Thread.sleep(pauseMs);
                }
            }
            return sent;
        } catch (IOException closed) {
            return sent;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return sent;
        }
    }

    /** Like any HTTP server, answers only once the request has come: a reply before it is no reply to it. */
    static void readRequestHead(Socket s) throws IOException {
        var in = s.getInputStream();
        int matched = 0;
        byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        for (int b; matched < end.length && (b = in.read()) >= 0;) {
            matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
        }
    }
}
