package io.gostats.relay.sink.mackerel.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.gostats.relay.LogCapture;
import io.gostats.relay.sink.mackerel.api.FakeMackerel;
import io.gostats.relay.sink.mackerel.api.GraphDefinition;
import io.gostats.relay.sink.mackerel.api.MackerelClient;
import io.gostats.relay.sink.mackerel.api.MetricValue;
import io.gostats.relay.sink.mackerel.api.WithFakeMackerel;
import io.gostats.relay.sink.mackerel.graphs.GostatsMetric;
import io.gostats.relay.sink.mackerel.graphs.GraphSets;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The sender against the strict fake, in simulated time: pacing, outages, the key refused, graph definitions. */
@QuarkusTest
@TestProfile(WithFakeMackerel.Profile.class)
class MackerelPosterTest {

    static final String KEY = "posterKey0123456789abcdefSECRET";

    @TempDir
    Path dir;

    MutableClock clock;
    FakeMackerel fake;
    MackerelClient client;
    String host;
    DeliveryQueue queue;
    MackerelPoster poster;
    final Map<FakeMackerel.PointKey, Double> expected = new HashMap<>();
    List<GraphDefinition> graphs;
    final List<Long> tsdbAt = new ArrayList<>();

    @BeforeEach
    void start() {
        long minute = Instant.now().getEpochSecond() / 60 * 60;
        clock = new MutableClock(Instant.ofEpochSecond(minute));
        fake = FakeMackerel.start(KEY, clock::instant);
        client = new MackerelClient(fake.baseUri(), KEY, Duration.ofSeconds(2));
        host = fake.addHost("instance-1", "i-0123456789");
        queue = new DeliveryQueue(dir, 360, clock, RetryPolicy.DEFAULT);
        graphs = new ArrayList<>(GraphSets.gostatsWildcard("gostats"));
        graphs.addAll(GraphSets.gostatsHostSums("gostats"));
        poster = new MackerelPoster(client, queue, new DeliveryPacer(clock), () -> Optional.of(host), graphs,
                Duration.ofHours(3), 100_000, Duration.ofSeconds(2), clock);
    }

    @AfterEach
    void stop() {
        client.close();
        fake.close();
    }

    /** One simulated minute: the cycle's batch at second 0, then the poster ticking every second. */
    void minute() {
        long t = clock.instant().getEpochSecond();
        List<MetricValue> values = new ArrayList<>();
        for (int task = 1; task <= 3; task++) {
            for (GostatsMetric m : GostatsMetric.values()) {
                String name = "custom.gostats.api-" + task + "." + m.path();
                double v = t / 60 % 1000 + task + m.ordinal() / 100.0;
                values.add(new MetricValue("", name, t, v));
                expected.put(new FakeMackerel.PointKey(host, name, t), v);
            }
        }
        queue.add(t, values);
        for (int s = 0; s < 60; s++) {
            tick();
        }
    }

    /** One second: a tick, the time of each metrics request noted. */
    void tick() {
        int before = fake.requestCount(FakeMackerel.TSDB);
        poster.tick();
        if (fake.requestCount(FakeMackerel.TSDB) > before) {
            tsdbAt.add(clock.instant().getEpochSecond());
        }
        clock.advance(Duration.ofSeconds(1));
    }

    @Test
    void everyPointArrivesAtTheHostsOffsetAndGraphsOnce() {
        for (int i = 0; i < 5; i++) {
            minute();
        }
        assertEquals(expected, fake.points());
        assertEquals(1, fake.requestCount(FakeMackerel.GRAPH_DEFS));
        assertEquals(11, fake.graphDefs().size());
        assertTrue(poster.status().outcome().endsWith("ok"), poster.status().toString());
        int offset = MackerelPoster.offset(host);
        assertTrue(offset >= 0 && offset < 60);
    }

    @Test
    void aSixtyMinuteOutageLosesNothing() {
        minute();
        fake.failUntilCleared(FakeMackerel.TSDB, FakeMackerel.Fault.status(503));
        for (int i = 0; i < 60; i++) {
            minute();
        }
        assertTrue(queue.size() >= 59, "kept on disk: " + queue.size());
        fake.clearFailures();
        for (int i = 0; i < 30 && queue.size() > 0; i++) {
            minute();
        }
        assertEquals(0, queue.size());
        assertEquals(expected, fake.points(), "every (host, name, time) with its value");
        assertTrue(fake.maxBodyBytes(FakeMackerel.TSDB) <= 100_000);
    }

    @Test
    void aRefusedKeyKeepsThePointsAndSaysSoWithoutTheKey() {
        fake.failUntilCleared(FakeMackerel.TSDB, FakeMackerel.Fault.status(403));
        minute();
        minute();
        assertFalse(poster.status().authorized());
        assertFalse(poster.status().toString().contains(KEY));
        assertEquals(2, queue.size());
        fake.clearFailures();
        for (int i = 0; i < 15 && queue.size() > 0; i++) {
            minute();
        }
        assertEquals(expected, fake.points());
        assertTrue(poster.status().authorized());
    }

    /**
     * The host is retired mid-run and {@code /tsdb} answers 404: the values wait (no retry count runs down, none is
     * dropped) until another host is known, then go there, each once.
     */
    @Test
    void pointsOfARetiredHostWaitAndGoToTheNextHostOnce() {
        fake.tsdbUnknownHostStatus(404);
        AtomicReference<String> current = new AtomicReference<>(host);
        poster = new MackerelPoster(client, queue, new DeliveryPacer(clock), () -> Optional.ofNullable(current.get()),
                graphs, Duration.ofHours(3), 100_000, Duration.ofSeconds(2), clock);
        poster.onHostRejected(id -> current.compareAndSet(id, null));
        minute();
        fake.retire(host);
        minute();
        minute();
        assertNull(current.get(), "the 404 named the host");
        assertEquals(2, queue.size(), "kept while no host is known");
        assertEquals(0, queue.droppedPoints(DropReason.REJECTED));
        host = fake.addHost("instance-2", "i-0123456789");
        current.set(host);
        for (int i = 0; i < 5 && queue.size() > 0; i++) {
            minute();
        }
        assertEquals(0, queue.size());
        Map<List<Object>, Double> byNameAndTime = new HashMap<>();
        fake.points().forEach((k, v) -> byNameAndTime.merge(List.of(k.name(), k.time()), v, (a, b) -> Double.NaN));
        Map<List<Object>, Double> wanted = new HashMap<>();
        expected.forEach((k, v) -> wanted.put(List.of(k.name(), k.time()), v));
        assertEquals(wanted, byNameAndTime, "every minute once, none twice (NaN: posted to two hosts)");
        assertEquals(expected.size(), fake.points().size());
    }

    /** Ten minutes of 503: one warning when it starts (cause, what is queued), one line when it ends. */
    @Test
    void anOutageIsLoggedOnceWhenItStartsAndOnceWhenItEnds() {
        try (LogCapture log = LogCapture.of(MackerelPoster.class)) {
            minute();
            fake.failUntilCleared(FakeMackerel.TSDB, FakeMackerel.Fault.status(503));
            for (int i = 0; i < 10; i++) {
                minute();
            }
            fake.clearFailures();
            for (int i = 0; i < 10 && queue.size() > 0; i++) {
                minute();
            }
            List<String> down = log.warnings().stream().filter(m -> m.contains("fail since")).toList();
            assertEquals(1, down.size(), log.messages().toString());
            assertTrue(down.get(0).contains("HTTP 503") && down.get(0).contains("kept on disk"), down.get(0));
            assertEquals(1, log.messages().stream().filter(m -> m.contains("work again after")).count(),
                    log.messages().toString());
            assertFalse(log.messages().toString().contains(KEY));
        }
        assertEquals(expected, fake.points());
    }

    /**
     * A backlog against a server that refuses bodies over 8 KB with 413: requests are split, the size that worked
     * is kept (a few refusals, not one per request), and every minute arrives whole.
     */
    @Test
    void aBodyLimitSplitsRequestsAndKeepsTheSizeThatWorked() {
        fake.failUntilCleared(FakeMackerel.TSDB, FakeMackerel.Fault.status(503));
        for (int i = 0; i < 10; i++) {
            minute();
        }
        fake.clearFailures();
        fake.bodyLimit(8_000);
        int from = fake.requests().size();
        for (int i = 0; i < 30 && queue.size() > 0; i++) {
            minute();
        }
        assertEquals(0, queue.size());
        assertEquals(expected, fake.points());
        assertEquals(0, queue.droppedPoints(DropReason.REJECTED));
        long refused = fake.requests().subList(from, fake.requests().size()).stream()
                .filter(r -> r.path().equals(FakeMackerel.TSDB) && r.bodyBytes() > 8_000).count();
        assertTrue(refused >= 1 && refused <= 5, refused + " refused bodies");
    }

    /**
     * A minute of 40 values, two of them with names Mackerel refuses: the 400 is narrowed down by halving, those two
     * are dropped and counted, the 38 others stored, and one warning carries Mackerel's message.
     */
    @Test
    void aRequestAnswered400DropsOnlyTheValuesMackerelRejects() {
        try (LogCapture log = LogCapture.of(MackerelPoster.class)) {
            long t = clock.instant().getEpochSecond();
            List<MetricValue> values = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                boolean bad = i == 7 || i == 29;
                String name = bad ? "custom.gostats.bad..name" + i
                        : "custom.gostats.api-" + i + ".runtime.goroutine_num";
                values.add(new MetricValue("", name, t, i));
                if (!bad) {
                    expected.put(new FakeMackerel.PointKey(host, name, t), (double) i);
                }
            }
            queue.add(t, values);
            for (int s = 0; s < 240 && queue.size() > 0; s++) {
                tick();
            }
            assertEquals(0, queue.size());
            assertEquals(expected, fake.points(), "the 38 good values");
            assertEquals(2, queue.droppedPoints(DropReason.REJECTED));
            List<String> said = log.warnings().stream().filter(m -> m.contains("rejected")).toList();
            assertEquals(1, said.size(), log.messages().toString());
            assertTrue(said.get(0).contains("rejected 2 of 40 values") && said.get(0).contains("invalid metric name")
                    && said.get(0).contains("bad..name7@"), said.get(0));
            assertTrue(tsdbAt.size() < 30, tsdbAt.size() + " requests");
            for (int i = 2; i < tsdbAt.size(); i++) {
                assertTrue(tsdbAt.get(i) - tsdbAt.get(i - 1) >= 1, "the search is paced too: " + tsdbAt);
            }
        }
    }

    /**
     * Mackerel refuses every part of a request (say, a host id it does not know): after the first three levels of
     * halving (14 smaller requests) all its values are dropped with one error, and the next minutes go on as usual.
     */
    @Test
    void aRequestRefusedWholeIsDroppedWithOneErrorAfterThreeLevels() {
        try (LogCapture log = LogCapture.of(MackerelPoster.class)) {
            fake.failUntilCleared(FakeMackerel.TSDB, FakeMackerel.Fault.status(400, "invalid host"));
            minute();
            for (int s = 0; s < 120 && queue.size() > 0; s++) {
                tick();
            }
            assertEquals(0, queue.size());
            assertEquals(1 + 2 + 4 + 8, fake.requestCount(FakeMackerel.TSDB));
            assertEquals(45, queue.droppedPoints(DropReason.REJECTED));
            List<String> said = log.warnings().stream().filter(m -> m.contains("rejected")).toList();
            assertEquals(List.of("Mackerel rejected every part of a request of 45 values (HTTP 400: invalid host; 14"
                    + " smaller requests tried): all dropped"), said);
        }
        expected.clear();
        fake.clearFailures();
        minute();
        minute();
        assertEquals(expected, fake.points());
        assertEquals(45, queue.droppedPoints(DropReason.REJECTED));
    }

    /** A 429 with {@code Retry-After: 150}: nothing is posted for 150 s (not the usual 60), then all arrives. */
    @Test
    void aRateLimitIsWaitedOutAsLongAsRetryAfterSays() {
        fake.failNext(FakeMackerel.TSDB, 1, FakeMackerel.Fault.retryAfter(429, "150"));
        for (int i = 0; i < 5; i++) {
            minute();
        }
        assertTrue(tsdbAt.size() >= 2, tsdbAt.toString());
        assertEquals(150, tsdbAt.get(1) - tsdbAt.get(0), "the second request waited as asked: " + tsdbAt);
        assertEquals(expected, fake.points());
    }

    /**
     * SIGTERM against a stalled Mackerel: a flush call is given up after the share of the budget it was given, and
     * its values are handed back to the queue, to be sent by the next flush (or the next start).
     */
    @Test
    void aFlushCallEndsWithinItsShareAndKeepsItsValues() {
        poster.tick(); // the graph definitions
        fake.failUntilCleared(FakeMackerel.TSDB, FakeMackerel.Fault.stallUntilReleased());
        long t = clock.instant().getEpochSecond();
        queue.add(t, MinuteValues.of(t, 2));
        long start = System.nanoTime();
        assertThrows(io.smallrye.mutiny.TimeoutException.class, () -> poster.flushTick(Duration.ofSeconds(1)));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms < 3000, "given up after its share: " + ms + " ms");
        assertEquals(30, queue.pendingPoints(), "kept");
        fake.clearFailures();
        clock.advance(Duration.ofSeconds(5));
        poster.flushTick();
        assertEquals(0, queue.size(), "the next flush sends them");
        assertEquals(30, fake.points().keySet().stream().filter(k -> k.time() == t).count());
    }
}
