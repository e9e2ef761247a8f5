package io.gostats.relay.sink.mackerel.delivery;

import io.gostats.relay.sink.mackerel.graphs.GraphSets;

import io.gostats.relay.sink.mackerel.api.FakeMackerel;
import io.gostats.relay.sink.mackerel.GostatsMetric;
import io.gostats.relay.sink.mackerel.api.GraphDefinition;
import io.gostats.relay.sink.mackerel.HostAggregates;
import io.gostats.relay.sink.mackerel.api.MackerelClient;
import io.gostats.relay.sink.mackerel.api.WithFakeMackerel;
import io.gostats.relay.sink.mackerel.api.MetricValue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    @BeforeEach
    void start() {
        long minute = Instant.now().getEpochSecond() / 60 * 60;
        clock = new MutableClock(Instant.ofEpochSecond(minute));
        fake = FakeMackerel.start(KEY, clock::instant);
        client = new MackerelClient(fake.baseUri(), KEY, Duration.ofSeconds(2));
        host = fake.addHost("instance-1", "i-0123456789");
        queue = new DeliveryQueue(dir, 360, clock, RetryPolicy.DEFAULT);
        List<GraphDefinition> graphs = new ArrayList<>(GraphSets.gostatsWildcard("gostats"));
        graphs.addAll(HostAggregates.graphs("gostats"));
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
            poster.tick();
            clock.advance(Duration.ofSeconds(1));
        }
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
}
