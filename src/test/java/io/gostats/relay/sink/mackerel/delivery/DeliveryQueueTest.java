package io.gostats.relay.sink.mackerel.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.gostats.relay.sink.mackerel.api.MetricValue;

class DeliveryQueueTest {

    static final long T0 = 1795530600L; // second 0 of a minute
    static final int UNLIMITED = Integer.MAX_VALUE;
    static final int BODY_CAP = 100_000;
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    final MutableClock clock = new MutableClock(Instant.ofEpochSecond(T0));

    DeliveryQueue queue(int capacity) {
        return new DeliveryQueue(dir, capacity, clock, RetryPolicy.DEFAULT);
    }

    static int bodySize(List<MetricValue> values) throws IOException {
        return JSON.writeValueAsBytes(values).length;
    }

    List<Path> files(String suffix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    Delivery next(DeliveryQueue q, int cap) {
        return q.nextRequest(cap).orElseThrow(() -> new AssertionError("no request due at " + clock.instant()));
    }

    @Test
    void deliversBatchesInTheOrderTheyWereAdded() throws IOException {
        DeliveryQueue q = queue(360);
        List<MetricValue> a = MinuteValues.of(T0, 2);
        List<MetricValue> b = MinuteValues.of(T0 + 60, 2);
        List<MetricValue> c = MinuteValues.of(T0 + 120, 2);
        q.add(T0, a);
        q.add(T0 + 60, b);
        q.add(T0 + 120, c);
        assertEquals(3, q.size());
        assertEquals(90, q.pendingPoints());

        Delivery first = next(q, bodySize(a));
        assertEquals(a, first.values(), "exactly the first batch fits");
        assertEquals(bodySize(a), first.bodyBytes());
        q.acknowledge(first);
        Delivery rest = next(q, UNLIMITED);
        List<MetricValue> bc = new ArrayList<>(b);
        bc.addAll(c);
        assertEquals(bc, rest.values());
        q.acknowledge(rest);
        assertEquals(0, q.size());
        assertEquals(Optional.empty(), q.nextRequest(UNLIMITED));
        assertEquals(List.of(), files(""), "delivered batch files are deleted");
    }

    @Test
    void aFullQueueDropsItsOldestBatchAndCountsIt() throws IOException {
        DeliveryQueue q = queue(360);
        for (int i = 0; i < 361; i++) {
            q.add(T0 + 60L * i, MinuteValues.of(T0 + 60L * i, 1));
        }
        assertEquals(360, q.size());
        assertEquals(360, files(".json.gz").size());
        assertEquals(1, q.droppedBatches());
        assertEquals(15, q.droppedPoints(DropReason.FULL));
        clock.set(Instant.ofEpochSecond(T0 + 60 * 361));
        Delivery d = next(q, UNLIMITED);
        assertEquals(360 * 15, d.values().size());
        assertEquals(T0 + 60, d.values().get(0).time(), "the second minute is now the oldest");
        assertEquals(T0 + 60 * 360, d.values().get(d.values().size() - 1).time());
    }

    @Test
    void aNewQueueOnTheSameDirectoryResumesTheBacklogInOrder() {
        DeliveryQueue q = queue(360);
        for (int i = 0; i < 3; i++) {
            q.add(T0 + 60L * i, MinuteValues.of(T0 + 60L * i, 2));
        }
        DeliveryQueue restarted = queue(360);
        assertEquals(3, restarted.size());
        assertEquals(90, restarted.pendingPoints());
        restarted.add(T0 + 180, MinuteValues.of(T0 + 180, 2));
        List<Long> times = next(restarted, UNLIMITED).values().stream().map(MetricValue::time).distinct().toList();
        assertEquals(List.of(T0, T0 + 60, T0 + 120, T0 + 180), times);
    }

    @Test
    void aSmallerCapacityAtRestartDropsTheOldestBatches() {
        DeliveryQueue q = queue(10);
        for (int i = 0; i < 10; i++) {
            q.add(T0 + 60L * i, MinuteValues.of(T0 + 60L * i, 1));
        }
        DeliveryQueue restarted = queue(4);
        assertEquals(4, restarted.size());
        assertEquals(6, restarted.droppedBatches());
        assertEquals(T0 + 360, next(restarted, UNLIMITED).values().get(0).time());
    }

    @Test
    void valuesOlderThanADayAtSendTimeAreDroppedAndCountedOnce() {
        DeliveryQueue q = queue(360);
        q.add(T0, MinuteValues.of(T0, 1));
        q.add(T0 + 60, MinuteValues.of(T0 + 60, 1));
        clock.set(Instant.ofEpochSecond(T0 + 60).plus(Duration.ofHours(24)).minusSeconds(1));
        List<MetricValue> fresh = MinuteValues.of(clock.instant().getEpochSecond(), 1);
        q.add(T0 + 86400, fresh);

        Delivery d = next(q, UNLIMITED);
        assertEquals(30, d.values().size(), "the second batch is 1 s short of 24 h old: still sent");
        assertEquals(T0 + 60, d.values().get(0).time());
        assertEquals(15, d.tooOld());
        q.failed(d, DeliveryFailure.RETRY);
        assertEquals(0, q.droppedPoints(DropReason.TOO_OLD), "a failed request drops nothing");
        assertEquals(45, q.pendingPoints());

        clock.advance(Duration.ofMinutes(2));
        Delivery retry = next(q, UNLIMITED);
        assertEquals(fresh, retry.values(), "the second batch has aged past 24 h too");
        q.acknowledge(retry);
        assertEquals(30, q.droppedPoints(DropReason.TOO_OLD));
        assertEquals(0, q.size());
    }

    @Test
    void aQueueOfOnlyExpiredBatchesEmptiesWithoutARequest() {
        DeliveryQueue q = queue(360);
        q.add(T0, MinuteValues.of(T0, 2));
        q.add(T0 + 60, MinuteValues.of(T0 + 60, 2));
        clock.advance(Duration.ofHours(25));
        assertEquals(Optional.empty(), q.nextRequest(UNLIMITED));
        assertEquals(0, q.size());
        assertEquals(60, q.droppedPoints(DropReason.TOO_OLD));
    }

    @Test
    void aSettledRequestDropsOnlyTheValuesMackerelRejected() throws IOException {
        DeliveryQueue q = queue(360);
        List<MetricValue> a = MinuteValues.of(T0, 2);
        q.add(T0, a);
        q.add(T0 + 60, MinuteValues.of(T0 + 60, 2));
        q.add(T0 + 120, MinuteValues.of(T0 + 120, 2));
        int half = bodySize(a.subList(0, 15));

        Delivery d = next(q, half);
        assertEquals(a.subList(0, 15), d.values());
        assertEquals(0.5, q.minuteBatches(d), 1e-9, "half of a minute batch");
        q.settled(d, 3);
        assertEquals(3, q.droppedPoints(DropReason.REJECTED));
        assertEquals(75, q.pendingPoints());
        assertEquals(a.subList(15, 30), next(q, half).values(), "the rest of the batch, at once: no backoff");
    }

    @Test
    void retriesBackOffExponentiallyWithJitterUpToTheCap() {
        DeliveryQueue q = queue(360);
        q.add(T0, MinuteValues.of(T0, 1));
        List<Long> delays = new ArrayList<>();
        for (int attempt = 1; attempt <= 9; attempt++) {
            Delivery d = next(q, UNLIMITED);
            q.failed(d, DeliveryFailure.RETRY);
            long delay = Duration.between(clock.instant(), q.nextAttempts().get(0L)).toMillis();
            long expected = Math.min(30_000L << (attempt - 1), 600_000L);
            assertTrue(delay >= expected / 2 && delay <= expected * 3 / 2,
                    "attempt " + attempt + ": " + delay + " ms, expected " + expected + " ± 50 %");
            delays.add(delay);

            clock.advance(Duration.ofMillis(delay - 1));
            assertEquals(Optional.empty(), q.nextRequest(UNLIMITED), "not due before its next attempt");
            clock.advance(Duration.ofMillis(1));
        }
        // with ±50 % jitter only delays two doublings apart are sure to be ordered, and only below the cap
        for (int k = 0; k + 2 < 5; k++) {
            assertTrue(delays.get(k + 2) > delays.get(k), "grows: " + delays);
        }
        assertEquals(15, q.pendingPoints(), "retries keep the data however long");
    }

    @Test
    void batchesFailingTogetherRetryAtDifferentTimesEvenAtTheCap() {
        DeliveryQueue q = queue(360);
        for (int i = 0; i < 20; i++) {
            q.add(T0, MinuteValues.of(T0, 1));
        }
        for (int attempt = 1; attempt <= 8; attempt++) {
            Delivery d = next(q, UNLIMITED);
            assertEquals(20, d.slices().size(), "all 20 are due and fit one request");
            q.failed(d, DeliveryFailure.RETRY);
            Instant now = clock.instant();
            Set<Instant> distinct = new HashSet<>(q.nextAttempts().values());
            assertTrue(distinct.size() >= 15, "attempt " + attempt + ": only " + distinct.size() + " distinct");
            if (attempt == 8) {
                assertTrue(distinct.stream().allMatch(t -> !t.isBefore(now.plus(Duration.ofMinutes(5)))
                        && !t.isAfter(now.plus(Duration.ofMinutes(15)))), "around the 10-minute cap: " + distinct);
            }
            clock.set(distinct.stream().max(Instant::compareTo).orElseThrow());
        }
    }

    @Test
    void unauthorizedKeepsTheDataAndRetriesAfterFiveMinutes() {
        DeliveryQueue q = queue(360);
        List<MetricValue> a = MinuteValues.of(T0, 1);
        q.add(T0, a);
        q.failed(next(q, UNLIMITED), DeliveryFailure.UNAUTHORIZED);
        assertEquals(clock.instant().plus(Duration.ofMinutes(5)), q.nextAttemptAt().orElseThrow());
        clock.advance(Duration.ofSeconds(299));
        assertEquals(Optional.empty(), q.nextRequest(UNLIMITED));
        clock.advance(Duration.ofSeconds(1));
        assertEquals(a, next(q, UNLIMITED).values());
    }

    @Test
    void aBatchInBackoffDoesNotHoldBackTheBatchesBehindIt() {
        DeliveryQueue q = queue(360);
        q.add(T0, MinuteValues.of(T0, 1));
        q.failed(next(q, UNLIMITED), DeliveryFailure.RETRY);
        List<MetricValue> b = MinuteValues.of(T0 + 60, 1);
        q.add(T0 + 60, b);
        assertEquals(b, next(q, UNLIMITED).values());
    }

    @Test
    void requestBodiesOfAThousandTasksStayUnderTheCap() throws IOException {
        DeliveryQueue q = queue(360);
        List<MetricValue> batch = MinuteValues.of(T0, 1000);
        q.add(T0, batch);
        List<MetricValue> received = new ArrayList<>();
        int requests = 0;
        for (Optional<Delivery> d = q.nextRequest(BODY_CAP); d.isPresent(); d = q.nextRequest(BODY_CAP)) {
            int size = bodySize(d.get().values());
            assertEquals(size, d.get().bodyBytes(), "the queue's measure is Jackson's");
            assertTrue(size <= BODY_CAP, "request of " + size + " bytes");
            if (received.size() + d.get().values().size() < batch.size()) {
                assertTrue(size > BODY_CAP - 200, "only the last request is short: " + size);
            }
            received.addAll(d.get().values());
            q.acknowledge(d.get());
            requests++;
        }
        assertEquals(batch, received);
        System.out.printf("1,000 tasks x 15 metrics: %d values in %d requests of at most %d bytes%n", batch.size(),
                requests, BODY_CAP);
    }

    @Test
    void onlyTheBatchesOfTheCurrentRequestAreInMemory() {
        DeliveryQueue q = queue(360);
        for (int i = 0; i < 50; i++) {
            q.add(T0 + 60L * i, MinuteValues.of(T0 + 60L * i, 100));
        }
        assertEquals(Set.of(), q.loadedBatches(), "adding writes through to disk");
        clock.set(Instant.ofEpochSecond(T0 + 3000));
        Set<Long> seen = new HashSet<>();
        for (Optional<Delivery> d = q.nextRequest(BODY_CAP); d.isPresent(); d = q.nextRequest(BODY_CAP)) {
            Set<Long> covered = new HashSet<>();
            d.get().slices().forEach(s -> covered.add(s.sequence()));
            assertEquals(covered, q.loadedBatches());
            assertTrue(covered.size() <= 2, "1,500 values a batch, ~900 a request: " + covered);
            seen.addAll(covered);
            q.acknowledge(d.get());
        }
        assertEquals(50, seen.size());
        assertEquals(Set.of(), q.loadedBatches());
    }

    @Test
    void expiredBatchesAreNotKeptInMemory() {
        DeliveryQueue q = queue(360);
        for (int i = 0; i < 20; i++) {
            q.add(T0 + 60L * i, MinuteValues.of(T0 + 60L * i, 10));
        }
        clock.advance(Duration.ofHours(25));
        List<MetricValue> fresh = MinuteValues.of(clock.instant().getEpochSecond(), 10);
        q.add(clock.instant().getEpochSecond(), fresh);
        Delivery d = next(q, UNLIMITED);
        assertEquals(fresh, d.values());
        assertEquals(21, d.slices().size());
        assertEquals(Set.of(20L), q.loadedBatches(), "only the batch that has values to send");
        q.acknowledge(d);
        assertEquals(20 * 150, q.droppedPoints(DropReason.TOO_OLD));
    }

    @Test
    void aRestartedQueueLoadsNothingUntilItSends() {
        DeliveryQueue q = queue(360);
        for (int i = 0; i < 5; i++) {
            q.add(T0 + 60L * i, MinuteValues.of(T0 + 60L * i, 100));
        }
        DeliveryQueue restarted = queue(360);
        assertEquals(Set.of(), restarted.loadedBatches());
        next(restarted, BODY_CAP);
        assertEquals(Set.of(0L), restarted.loadedBatches());
    }

    @Test
    void unreadableBatchFilesAreSetAsideCountedAndSkipped() throws IOException {
        DeliveryQueue q = queue(360);
        List<List<MetricValue>> batches = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            batches.add(MinuteValues.of(T0 + 60L * i, 1));
            q.add(T0 + 60L * i, batches.get(i));
        }
        List<Path> files = files(".json.gz");
        Files.writeString(files.get(1), "not gzip at all", StandardCharsets.UTF_8);
        byte[] third = Files.readAllBytes(files.get(2));
        Files.write(files.get(2), java.util.Arrays.copyOf(third, third.length / 2));
        Files.writeString(dir.resolve("notes.txt"), "left here by someone");
        Files.writeString(dir.resolve("000000000009-15.json.gz.tmp"), "a write cut short");

        DeliveryQueue restarted = queue(360);
        assertEquals(4, restarted.size());
        assertFalse(Files.exists(dir.resolve("000000000009-15.json.gz.tmp")));
        Delivery d = next(restarted, UNLIMITED);
        List<MetricValue> expected = new ArrayList<>(batches.get(0));
        expected.addAll(batches.get(3));
        assertEquals(expected, d.values());
        assertEquals(30, restarted.droppedPoints(DropReason.CORRUPT));
        assertEquals(2, files(".corrupt").size());
        restarted.acknowledge(d);
        assertEquals(0, restarted.size());
        assertEquals(0, queue(360).size(), "set-aside files are not queued again");
    }

    @Test
    void oneRequestAtATime() {
        DeliveryQueue q = queue(360);
        q.add(T0, MinuteValues.of(T0, 1));
        Delivery d = next(q, UNLIMITED);
        assertThrows(IllegalStateException.class, () -> q.nextRequest(UNLIMITED));
        Delivery forged = new Delivery(d.values(), d.bodyBytes(), d.slices(), d.tooOld());
        assertThrows(IllegalStateException.class, () -> q.acknowledge(forged));
        q.acknowledge(d);
        assertThrows(IllegalStateException.class, () -> q.acknowledge(d), "acknowledged twice");
    }

    @Test
    void aBatchDroppedForRoomWhileInFlightIsNotResurrected() {
        DeliveryQueue q = queue(2);
        q.add(T0, MinuteValues.of(T0, 1));
        Delivery d = next(q, UNLIMITED);
        q.add(T0 + 60, MinuteValues.of(T0 + 60, 1));
        q.add(T0 + 120, MinuteValues.of(T0 + 120, 1));
        q.failed(d, DeliveryFailure.RETRY);
        assertEquals(2, q.size());
        assertEquals(T0 + 60, next(q, UNLIMITED).values().get(0).time());
    }

    @Test
    void retryPolicyRejectsNonsense() {
        assertThrows(IllegalArgumentException.class,
                () -> new RetryPolicy(Duration.ofSeconds(30), 0.5, 0.5, Duration.ofMinutes(10), Duration.ZERO));
        assertThrows(IllegalArgumentException.class,
                () -> new RetryPolicy(Duration.ofSeconds(30), 2, 1.5, Duration.ofMinutes(10), Duration.ZERO));
        assertThrows(IllegalArgumentException.class,
                () -> new RetryPolicy(Duration.ofMinutes(30), 2, 0.5, Duration.ofMinutes(10), Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> queue(0));
    }

    /** The sink queues values without a host id; the request is sized as it is sent, with one. */
    @Test
    void requestsAreSizedAsSentWithTheHostId() throws IOException {
        DeliveryQueue q = queue(360);
        q.add(T0, MinuteValues.of(T0, 100).stream().map(v -> new MetricValue("", v.name(), v.time(), v.value()))
                .toList());
        Delivery d = q.nextRequest(BODY_CAP, "3sm7GHJx3aN").orElseThrow();
        List<MetricValue> sent = d.values().stream()
                .map(v -> new MetricValue("3sm7GHJx3aN", v.name(), v.time(), v.value())).toList();
        assertEquals(bodySize(sent), d.bodyBytes());
        assertTrue(d.bodyBytes() <= BODY_CAP && d.bodyBytes() > BODY_CAP - 200, d.bodyBytes() + " bytes");
    }

    /** A 4xx other than 400/401/403/404/413: retried as mackerel-agent does, 60 tries, then dropped and counted. */
    @Test
    void anotherClientErrorIsRetriedLikeTheAgentThenDropped() {
        DeliveryQueue q = queue(360);
        q.add(T0, MinuteValues.of(T0, 1));
        for (int i = 1; i < DeliveryQueue.MAX_CLIENT_ERROR_ATTEMPTS; i++) {
            q.failed(next(q, BODY_CAP), DeliveryFailure.CLIENT_ERROR);
            clock.advance(Duration.ofMinutes(20));
        }
        assertEquals(1, q.size(), "kept through 59 tries");
        assertEquals(0, q.droppedPoints(DropReason.REJECTED));
        q.failed(next(q, BODY_CAP), DeliveryFailure.CLIENT_ERROR);
        assertEquals(0, q.size());
        assertEquals(15, q.droppedPoints(DropReason.REJECTED));
    }

    /** A 404 (retired host) or 413 (body too large): kept, due at once, and no try counted. */
    @Test
    void aMissingHostOrATooLargeBodyCountsNoTry() {
        DeliveryQueue q = queue(360);
        q.add(T0, MinuteValues.of(T0, 1));
        for (int i = 0; i < 100; i++) {
            q.failed(next(q, BODY_CAP), i % 2 == 0 ? DeliveryFailure.NO_HOST : DeliveryFailure.TOO_LARGE);
        }
        assertEquals(Optional.of(Instant.EPOCH), q.nextAttemptAt(), "due now");
        q.acknowledge(next(q, BODY_CAP));
        assertEquals(0, q.size());
    }
}
