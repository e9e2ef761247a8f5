package io.gostats.relay.sink.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.gostats.relay.sink.otlp.FakeOtlpReceiver.Close;
import io.gostats.relay.sink.otlp.FakeOtlpReceiver.GrpcStatus;
import io.gostats.relay.sink.otlp.FakeOtlpReceiver.HttpStatus;
import io.gostats.relay.sink.otlp.FakeOtlpReceiver.Stall;
import io.gostats.relay.sink.otlp.FakeOtlpReceiver.Throttle;
import io.grpc.Status;

/**
 * The receiver failing in the ways real ones do: 503, RESOURCE_EXHAUSTED (a size refusal split, a quota retried as
 * it was), a stall, a closed connection, a refused key; what failed is kept and sent oldest first, never delaying the
 * lane; SIGTERM sends what it can within its budget.
 */
class OtlpFaultsTest {

    private FakeOtlpReceiver receiver;
    private OtlpSink sink;

    /** The test's own minute, fixed once: a minute boundary passing mid-test changes nothing. */
    private final Instant start = Instant.now().truncatedTo(ChronoUnit.MINUTES);

    private Instant minute(int offset) {
        return start.plus(offset, ChronoUnit.MINUTES);
    }

    @AfterEach
    void close() {
        if (sink != null) {
            sink.stop(Duration.ofSeconds(2));
        }
        receiver.close();
    }

    private static List<Long> times(FakeOtlpReceiver r) {
        return r.received.stream().map(x -> x.request().getResourceMetrics(0).getScopeMetrics(0).getMetrics(0)
                .getGauge().getDataPoints(0).getTimeUnixNano()).toList();
    }

    @Test
    void unavailableThenBackOldestFirst() throws Exception {
        receiver = FakeOtlpReceiver.http();
        receiver.faults.add(new HttpStatus(503));
        receiver.faults.add(new HttpStatus(503));
        sink = Sinks.started(receiver, Map.of(), Duration.ofMillis(300), "relay.otlp.protocol", "http/protobuf");
        sink.accept(Snapshots.of(1, minute(-1), 2, 1));
        Thread.sleep(100);
        sink.accept(Snapshots.of(2, minute(0), 2, 2));
        receiver.await(2, 10_000);
        assertEquals(List.of(SnapshotMetrics.nanos(minute(-1)), SnapshotMetrics.nanos(minute(0))), times(receiver));
        assertEquals(2, Sinks.count(sink, ExportOutcome.UNAVAILABLE));
        assertEquals(2, Sinks.count(sink, ExportOutcome.OK));
        assertEquals(4, receiver.attempts.size(), "no duplicate beyond the retries");
        assertTrue(sink.status().up());
    }

    @Test
    void aSizeRefusalIsSplitAQuotaIsNot() throws Exception {
        receiver = FakeOtlpReceiver.grpc();
        receiver.faults.add(new GrpcStatus(Status.Code.RESOURCE_EXHAUSTED,
                "grpc: received message after decompression larger than max (5000000 vs. 4000000)"));
        sink = Sinks.started(receiver, Map.of(), Duration.ofMillis(100));
        sink.accept(Snapshots.of(1, minute(0), 4, 1));
        receiver.await(2, 10_000);
        assertEquals(List.of(2, 2), receiver.received.stream().map(r -> r.request().getResourceMetricsCount()).toList());
        assertEquals(1, Sinks.count(sink, ExportOutcome.TOO_LARGE));

        receiver.faults.add(new GrpcStatus(Status.Code.RESOURCE_EXHAUSTED, "organization quota exceeded"));
        sink.accept(Snapshots.of(2, minute(1), 4, 2));
        receiver.await(3, 10_000);
        assertEquals(4, receiver.received.get(2).request().getResourceMetricsCount(), "a quota refusal: sent whole");
        assertEquals(1, Sinks.count(sink, ExportOutcome.THROTTLED));
    }

    @Test
    void aMessageOverTheReceiversLimitIsSplitUntilItFits() throws Exception {
        receiver = FakeOtlpReceiver.grpc();
        sink = Sinks.started(receiver, Map.of(), Duration.ofMillis(100), "relay.otlp.max-request-size", "16M",
                "relay.otlp.buffer-size", "64M", "relay.otlp.timeout", "1s");
        sink.accept(Snapshots.of(1, minute(0), 2000, 1));
        FakeOtlpReceiver.until(() -> receiver.tasks() >= 2000, 30_000);
        assertEquals(2000, receiver.tasks());
        // grpc-java refuses a message over its limit and stops reading: no answer, so two timeouts split it
        assertTrue(Sinks.count(sink, ExportOutcome.UNAVAILABLE) >= 2, "the receiver refused the whole first");
        assertTrue(receiver.received.stream().allMatch(r -> r.bytes() <= FakeOtlpReceiver.MAX_MESSAGE));
    }

    @Test
    void byDefaultEveryRequestStaysUnder3Point5MB() throws Exception {
        receiver = FakeOtlpReceiver.grpc();
        sink = Sinks.started(receiver, Map.of(), Duration.ofMillis(100));
        sink.accept(Snapshots.of(1, minute(0), 2500, 1));
        FakeOtlpReceiver.until(() -> receiver.tasks() >= 2500, 30_000);
        assertTrue(receiver.received.size() >= 2, "split by tasks: " + receiver.received.size());
        assertTrue(receiver.received.stream().allMatch(r -> r.bytes() <= 3_500_000),
                receiver.received.stream().map(r -> r.bytes()).toList().toString());
        assertEquals(0, Sinks.count(sink, ExportOutcome.TOO_LARGE));
    }

    @Test
    void aStallIsBoundedByTheTimeoutAndNeverHoldsTheLane() throws Exception {
        receiver = FakeOtlpReceiver.grpc();
        receiver.faults.add(new Stall(3000));
        sink = Sinks.started(receiver, Map.of(), Duration.ofMillis(100), "relay.otlp.timeout", "500ms");
        long t = System.nanoTime();
        sink.accept(Snapshots.of(1, minute(0), 2, 1));
        Thread.sleep(200);
        sink.accept(Snapshots.of(2, minute(1), 2, 2));
        assertTrue(System.nanoTime() - t < Duration.ofMillis(1000).toNanos(), "accept never waits for the endpoint");
        FakeOtlpReceiver.until(() -> receiver.received.size() >= 3, 15_000);
        // the stalled request is accepted late by the receiver, after the client gave up and sent it again: the one
        // duplicate a stall costs (OTLP is at-least-once; a receiver keeps one point per series and time)
        assertEquals(List.of(SnapshotMetrics.nanos(minute(0)), SnapshotMetrics.nanos(minute(0)),
                SnapshotMetrics.nanos(minute(1))), times(receiver).stream().sorted().toList());
        assertEquals(1, Sinks.count(sink, ExportOutcome.UNAVAILABLE));
        assertEquals("ok", sink.status().details().get("lastExport"));
    }

    @Test
    void aClosedConnectionIsRetried() throws Exception {
        receiver = FakeOtlpReceiver.http();
        receiver.faults.add(new Close());
        sink = Sinks.started(receiver, Map.of(), Duration.ofMillis(100), "relay.otlp.protocol", "http/protobuf");
        sink.accept(Snapshots.of(1, minute(0), 2, 1));
        receiver.await(1, 10_000);
        assertEquals(1, Sinks.count(sink, ExportOutcome.UNAVAILABLE));
        assertEquals(2, receiver.attempts.size());
    }

    @Test
    void aRefusedKeyShowsOnTheStatusAndNeverInLogs() throws Exception {
        String key = "s3cr3t-mackerel-key";
        receiver = FakeOtlpReceiver.grpc();
        receiver.faults.add(new GrpcStatus(Status.Code.UNAUTHENTICATED, "invalid Mackerel-Api-Key: " + key));
        List<String> logged = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                logged.add(String.valueOf(r.getMessage()) + " " + java.util.Arrays.toString(r.getParameters())
                        + " " + r.getThrown());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        try {
            sink = Sinks.started(receiver, Map.of("MACKEREL_APIKEY", key), Duration.ofMillis(100),
                    "relay.otlp.mackerel", "true");
            sink.accept(Snapshots.of(1, minute(0), 2, 1));
            FakeOtlpReceiver.until(() -> !receiver.attempts.isEmpty(), 10_000);
            Thread.sleep(300);
            assertFalse(sink.status().up());
            assertTrue(sink.status().state().startsWith("KEY REFUSED"), sink.status().state());
            assertEquals(1, Sinks.count(sink, ExportOutcome.UNAUTHORIZED));
            assertEquals(1, receiver.attempts.size(), "a refused key waits 5 minutes");
            assertEquals(1, ((Number) sink.status().details().get("queuedRequests")).intValue(), "kept");
        } finally {
            root.removeHandler(capture);
        }
        assertFalse(logged.isEmpty(), "the sink logged the refusal");
        assertTrue(logged.stream().noneMatch(l -> l.contains(key)), logged.toString());
        assertFalse(sink.status().toString().contains(key));
    }

    @Test
    void keptTooLongIsDroppedAndCounted() throws Exception {
        receiver = FakeOtlpReceiver.grpc();
        sink = Sinks.started(receiver, Map.of(), Duration.ofMillis(100), "relay.otlp.buffer", "5m");
        sink.accept(Snapshots.of(1, minute(-10), 2, 1));
        sink.accept(Snapshots.of(2, minute(0), 2, 2));
        receiver.await(1, 10_000);
        Thread.sleep(300);
        assertEquals(1, receiver.received.size());
        assertEquals(List.of(SnapshotMetrics.nanos(minute(0))), times(receiver));
        assertEquals(1, Sinks.count(sink, ExportOutcome.DROPPED));
    }

    @Test
    void sigtermSendsWhatIsKeptWithinItsBudget() throws Exception {
        receiver = FakeOtlpReceiver.http();
        receiver.faults.add(new HttpStatus(503));
        sink = Sinks.started(receiver, Map.of(), Duration.ofHours(1), "relay.otlp.protocol", "http/protobuf");
        sink.accept(Snapshots.of(1, minute(-1), 2, 1));
        FakeOtlpReceiver.until(() -> !receiver.attempts.isEmpty(), 10_000);
        sink.accept(Snapshots.of(2, minute(0), 2, 2));
        Thread.sleep(300);
        assertEquals(0, receiver.received.size(), "backing off for an hour");
        long t = System.nanoTime();
        sink.stop(Duration.ofSeconds(5));
        sink = null;
        assertTrue(System.nanoTime() - t < Duration.ofSeconds(6).toNanos());
        assertEquals(List.of(SnapshotMetrics.nanos(minute(-1)), SnapshotMetrics.nanos(minute(0))), times(receiver));
    }

    /**
     * A 429 or 503 asking for 30 s: the SDK's exporter does not pass {@code Retry-After} on
     * ({@code OtlpThrottlingTest}), so the sink's own exponential backoff decides, as the OTLP specification asks.
     */
    @Test
    void a429WithRetryAfterIsRetriedWithTheSinksBackoff() throws Exception {
        receiver = FakeOtlpReceiver.http();
        receiver.faults.add(new Throttle(429, "30"));
        receiver.faults.add(new Throttle(503, "30"));
        sink = Sinks.started(receiver, Map.of(), Duration.ofMillis(300), "relay.otlp.protocol", "http/protobuf");
        long start = System.nanoTime();
        sink.accept(Snapshots.of(1, minute(0), 2, 1));
        receiver.await(1, 10_000);
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        FakeOtlpReceiver.until(() -> Sinks.count(sink, ExportOutcome.OK) == 1, 5_000); // the answer reached the sink
        assertEquals(3, receiver.attempts.size(), "two refusals, then accepted");
        assertTrue(tookMs < 10_000, "the backoff, not the 30 s asked for, as nothing shows it: " + tookMs + " ms");
        assertEquals(1, Sinks.count(sink, ExportOutcome.THROTTLED));
        assertEquals(1, Sinks.count(sink, ExportOutcome.UNAVAILABLE));
        assertEquals(1, Sinks.count(sink, ExportOutcome.OK));
    }
}
