package io.gostats.relay.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.gostats.relay.ConfigErrorsTest;
import io.gostats.relay.TestData;
import io.gostats.relay.model.FailureReason;
import io.gostats.relay.model.FetchResult;
import io.gostats.relay.model.Target;
import io.gostats.relay.model.TaskIdentity;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;

/**
 * Connections across cycles, against a raw HTTP/1.1 server on a socket that does what each test scripts for each
 * request: kept at every interval, and the one retry on a new connection when a kept connection is found closed
 * before any reply, and in no other case.
 */
class CollectorConnectionsTest {

    static final byte[] STATS = TestData.bytes("samples/stats-churn.json");

    /** What the server does with a request, by its number in arrival order (from 1); unscripted ones are answered. */
    enum Action {
        /** The whole reply. */
        ANSWER,
        /** Closes the connection without a byte of reply (FIN): the target closed it while idle. */
        CLOSE,
        /** Resets the connection without a byte of reply (RST). */
        RESET,
        /** The head and half of the body, then a close. */
        PART_OF_BODY,
        /** Part of the head, then a close. */
        PART_OF_HEAD,
        /** No reply at all, the connection left open. */
        SILENT
    }

    Vertx vertx;
    ServerSocket listener;
    SimpleMeterRegistry meters;
    final Map<Integer, Action> script = new ConcurrentHashMap<>();
    final AtomicInteger accepted = new AtomicInteger();
    final AtomicInteger received = new AtomicInteger();
    /** Requests whose reply the server began: the handler ran. */
    final AtomicInteger served = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        vertx = Vertx.vertx();
        meters = new SimpleMeterRegistry();
        listener = new ServerSocket(0);
        Thread t = new Thread(this::acceptAll, "keep-alive-server");
        t.setDaemon(true);
        t.start();
    }

    @AfterEach
    void stop() throws IOException {
        listener.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void cyclesAtTheDefaultIntervalKeepTheirConnection() throws InterruptedException {
        Collector collector = collector("relay.interval", "60s");
        for (int cycle = 0; cycle < 3; cycle++) {
            assertInstanceOf(FetchResult.Sample.class, fetchOnce(collector));
        }
        assertEquals(1, accepted.get(), "connections opened for 3 cycles");
        assertEquals(3, served.get());
        assertEquals(0, retries());
    }

    @Test
    void withoutKeepAliveEachFetchOpensAConnection() throws InterruptedException {
        Collector collector = collector("relay.interval", "5s", "relay.collect.keep-alive", "false");
        for (int cycle = 0; cycle < 3; cycle++) {
            assertInstanceOf(FetchResult.Sample.class, fetchOnce(collector));
        }
        assertEquals(3, accepted.get(), "connections opened for 3 cycles");
    }

    @Test
    void aKeptConnectionClosedBeforeTheNextCycleIsRetriedOnceOnANewOne() throws InterruptedException {
        Collector collector = collector();
        assertInstanceOf(FetchResult.Sample.class, secondCycle(collector, Action.CLOSE));
        assertEquals(2, served.get(), "one request served per cycle");
        assertEquals(2, accepted.get(), "the kept connection, then a new one for the retry");
        assertEquals(1, retries());
        // the next cycle opens a kept connection again
        assertInstanceOf(FetchResult.Sample.class, fetchOnce(collector));
        assertEquals(3, served.get());
        assertEquals(3, accepted.get());
        assertEquals(1, retries());
    }

    @Test
    void aKeptConnectionResetBeforeAnyReplyIsRetriedOnce() throws InterruptedException {
        assertInstanceOf(FetchResult.Sample.class, secondCycle(collector(), Action.RESET));
        assertEquals(2, served.get(), "one request served per cycle");
        assertEquals(1, retries());
    }

    @Test
    void partOfABodyThenACloseFailsWithoutARetry() throws InterruptedException {
        assertSecondCycleFailsUnretried(Action.PART_OF_BODY, FailureReason.CONNECTION);
    }

    @Test
    void partOfAHeadThenACloseFailsWithoutARetry() throws InterruptedException {
        assertSecondCycleFailsUnretried(Action.PART_OF_HEAD, FailureReason.CONNECTION);
    }

    @Test
    void aKeptConnectionThatTimesOutIsNotRetried() throws InterruptedException {
        assertSecondCycleFailsUnretried(Action.SILENT, FailureReason.TIMEOUT);
    }

    @Test
    void aNewConnectionClosedBeforeAnyReplyFailsWithoutARetry() throws InterruptedException {
        script.put(1, Action.CLOSE);
        assertInstanceOf(FetchResult.Failure.class, fetchOnce(collector()));
        assertNotSentAgain(1);
    }

    @Test
    void keptConnectionsStayOpenTwiceTheIntervalAtLeastAMinute() {
        assertEquals(Duration.ofSeconds(120), Collector.idleTimeout(Duration.ofSeconds(60)));
        assertEquals(Duration.ofSeconds(60), Collector.idleTimeout(Duration.ofSeconds(2)));
        assertEquals(Duration.ofMinutes(20), Collector.idleTimeout(Duration.ofMinutes(10)));
    }

    /** A collector at the default interval (60 s) unless the properties say otherwise. */
    private Collector collector(String... keyValues) {
        return new Collector(ConfigErrorsTest.config(keyValues), vertx, meters);
    }

    /**
     * Two cycles: the first answered on a new connection, the second's request on the kept connection handled as
     * {@code second} says; what the second cycle returned. The collector has the default deadline (5 s): a test run
     * first in a busy JVM pays for loading the client and the readers.
     */
    private FetchResult secondCycle(Collector collector, Action second) throws InterruptedException {
        script.put(2, second);
        FetchResult first = fetchOnce(collector);
        assertInstanceOf(FetchResult.Sample.class, first, first::toString);
        return fetchOnce(collector);
    }

    private void assertSecondCycleFailsUnretried(Action second, FailureReason reason) throws InterruptedException {
        FetchResult.Failure failure = assertInstanceOf(FetchResult.Failure.class, secondCycle(collector(), second));
        assertEquals(reason, failure.reason(), failure::toString);
        assertNotSentAgain(2);
    }

    private void assertNotSentAgain(int requests) {
        assertEquals(requests, received.get(), "no request sent again");
        assertEquals(1, accepted.get(), "no new connection");
        assertEquals(0, retries());
    }

    private double retries() {
        return meters.get("relay.fetch.retries").counter().count();
    }

    /** One cycle: cycles are at least a second apart, so the previous fetch's connection is back in its pool. */
    private FetchResult fetchOnce(Collector collector) throws InterruptedException {
        Thread.sleep(200);
        Target t = new Target("t", "127.0.0.1", listener.getLocalPort(), "/stats", 8080, TaskIdentity.NONE);
        List<FetchResult> results = collector.collect(List.of(t)).await().atMost(Duration.ofSeconds(10));
        return results.get(0);
    }

    private void acceptAll() {
        while (!listener.isClosed()) {
            try {
                Socket s = listener.accept();
                accepted.incrementAndGet();
                Thread t = new Thread(() -> serve(s), "keep-alive-connection");
                t.setDaemon(true);
                t.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    /** Every request on a connection as scripted, until the client closes it or a scripted close. */
    private void serve(Socket s) {
        try (s; BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
                StandardCharsets.US_ASCII))) {
            OutputStream out = s.getOutputStream();
            boolean close = false;
            for (String line; (line = in.readLine()) != null;) {
                close |= line.equalsIgnoreCase("connection: close");
                if (!line.isEmpty()) {
                    continue; // the end of the request's head is an empty line
                }
                Action action = script.getOrDefault(received.incrementAndGet(), Action.ANSWER);
                if (action == Action.RESET) {
                    s.setSoLinger(true, 0);
                }
                if (action == Action.CLOSE || action == Action.RESET) {
                    return;
                }
                if (action == Action.SILENT) {
                    continue;
                }
                served.incrementAndGet();
                byte[] head = ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + STATS.length
                        + (close ? "\r\nConnection: close" : "") + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
                if (action == Action.PART_OF_HEAD) {
                    out.write(head, 0, head.length / 2);
                    out.flush();
                    return;
                }
                out.write(head);
                out.write(STATS, 0, action == Action.PART_OF_BODY ? STATS.length / 2 : STATS.length);
                out.flush();
                if (close || action == Action.PART_OF_BODY) {
                    return;
                }
            }
        } catch (IOException e) {
            // the client went away
        }
    }
}
