package io.gostats.relay.sink.mackerel.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.gostats.relay.sink.mackerel.api.MetricValue;

/**
 * Hours of Mackerel outage against the queue and the pacer, second by second on a test clock, as the sink's sender
 * would drive them: ask the pacer, take a request, post it (here: fail it or record it), report the outcome.
 */
class DeliveryOutageTest {

    static final long T0 = 1795530600L; // second 0 of a minute
    static final int TASKS = 100; // 1,500 values a minute: a batch takes two requests
    static final int BODY_CAP = 100_000;
    static final long OUTAGE_START = T0 + 10 * 60;
    static final long OUTAGE_END = OUTAGE_START + 60 * 60;
    static final long LAST_BATCH = T0 + 120 * 60;

    @TempDir
    Path dir;

    final MutableClock clock = new MutableClock(Instant.ofEpochSecond(T0));

    record Key(String hostId, String name, long time) {
        static Key of(MetricValue v) {
            return new Key(v.hostId(), v.name(), v.time());
        }
    }

    /** One relay's Mackerel sender and its Mackerel, which is down from OUTAGE_START to OUTAGE_END. */
    final class Simulation {
        DeliveryQueue queue;
        DeliveryPacer pacer;
        final Map<Key, Double> added = new HashMap<>();
        final Map<Key, Double> stored = new HashMap<>();
        int duplicates;
        int failedRequests;

        Simulation() {
            start();
        }

        void start() {
            queue = new DeliveryQueue(dir, 360, clock, RetryPolicy.DEFAULT);
            pacer = new DeliveryPacer(clock);
        }

        /** Runs second by second until {@code stop} holds (checked after each second) or {@code until}. */
        void runUntil(long until, BooleanSupplier stop) {
            for (long t = clock.instant().getEpochSecond(); t < until; t++) {
                clock.set(Instant.ofEpochSecond(t));
                second(t);
                if (stop.getAsBoolean()) {
                    clock.set(Instant.ofEpochSecond(t + 1));
                    return;
                }
            }
            clock.set(Instant.ofEpochSecond(until));
        }

        void runUntil(long until) {
            runUntil(until, () -> false);
        }

        private void second(long t) {
            if (t % 60 == 0 && t <= LAST_BATCH) {
                List<MetricValue> values = MinuteValues.of(t, TASKS);
                values.forEach(v -> added.put(Key.of(v), v.value()));
                queue.add(t, values);
            }
            if (!pacer.untilNextAllowed().isZero()) {
                return;
            }
            Optional<Delivery> request = queue.nextRequest(BODY_CAP);
            if (request.isEmpty()) {
                return;
            }
            pacer.requestStarted(queue.minuteBatches(request.get()));
            if (t >= OUTAGE_START && t < OUTAGE_END) {
                queue.failed(request.get(), DeliveryFailure.RETRY);
                pacer.requestFailed();
                failedRequests++;
                return;
            }
            assertTrue(request.get().bodyBytes() <= BODY_CAP);
            for (MetricValue v : request.get().values()) {
                if (stored.put(Key.of(v), v.value()) != null) {
                    duplicates++;
                }
            }
            queue.acknowledge(request.get());
        }

        void assertNothingLost() {
            assertEquals(121 * TASKS * 15, added.size());
            assertEquals(added.keySet(), stored.keySet(), "every (host, name, time) reached Mackerel");
            assertEquals(added, stored, "with its value");
            for (DropReason r : DropReason.values()) {
                assertEquals(0, queue.droppedPoints(r), r.name());
            }
            assertEquals(0, queue.size());
        }
    }

    @Test
    void anHourOfOutageLosesNothingAndIsProbedOnceAMinute() {
        Simulation relay = new Simulation();
        relay.runUntil(OUTAGE_END);
        assertEquals(60 * TASKS * 15, relay.queue.pendingPoints(), "an hour of minutes held");
        assertTrue(relay.failedRequests >= 55 && relay.failedRequests <= 61,
                "the pacer's pause after a failure: " + relay.failedRequests + " failed requests in 60 min");

        // an hour of minutes at 15 s a minute batch while new ones arrive (net 3 a minute): 20 minutes, and the
        // last backoffs (10 min ± 50 %) have run out by then
        relay.runUntil(OUTAGE_END + 30 * 60);
        assertEquals(0, relay.queue.size(), "backlog drained");

        relay.runUntil(LAST_BATCH + 60);
        relay.assertNothingLost();
        assertEquals(0, relay.duplicates, "without a restart, each value is posted once");
    }

    @Test
    void aRelayRestartedDuringTheOutageLosesNothing() {
        Simulation relay = new Simulation();
        relay.runUntil(OUTAGE_START + 30 * 60);
        long held = relay.queue.pendingPoints();
        assertEquals(30 * TASKS * 15, held);

        relay.start();
        assertEquals(held, relay.queue.pendingPoints(), "the backlog is read back from disk");
        relay.runUntil(LAST_BATCH + 60);
        relay.assertNothingLost();
    }

    @Test
    void aRelayRestartedMidBatchResendsThatBatchOnly() {
        Simulation relay = new Simulation();
        relay.runUntil(LAST_BATCH, () -> clock.instant().getEpochSecond() > OUTAGE_END
                && relay.queue.pendingPoints() % (TASKS * 15) != 0);
        assertTrue(relay.queue.pendingPoints() % (TASKS * 15) != 0, "stopped with a batch partly sent");

        relay.start();
        relay.runUntil(LAST_BATCH + 60);
        relay.assertNothingLost();
        assertTrue(relay.duplicates > 0 && relay.duplicates < TASKS * 15,
                "at least once: the sent part of one batch again, " + relay.duplicates);
    }
}
