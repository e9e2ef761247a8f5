package io.gostats.relay.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.gostats.relay.model.Snapshot;

class SinkDispatcherTest {

    static Snapshot snapshot(long seq) {
        return new Snapshot(seq, Instant.EPOCH, Duration.ZERO, List.of(), List.of());
    }

    record Recording(String name, List<Long> seen, CountDownLatch release) implements MetricSink {
        @Override
        public void accept(Snapshot s) {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            seen.add(s.sequence());
        }

        @Override
        public SinkStatus status() {
            return SinkStatus.up(name, seen.size() + " seen", java.util.Map.of());
        }
    }

    @Test
    void aStalledSinkDelaysNeitherTheCycleNorTheOtherSinksAndKeepsTheNewest() throws Exception {
        CountDownLatch stalled = new CountDownLatch(1);
        CountDownLatch open = new CountDownLatch(0);
        Recording slow = new Recording("slow", new CopyOnWriteArrayList<>(), stalled);
        Recording fast = new Recording("fast", new CopyOnWriteArrayList<>(), open);
        SinkDispatcher d = new SinkDispatcher(List.of(slow, fast));
        AtomicInteger dropped = new AtomicInteger();
        d.onDropped(name -> {
            assertEquals("slow", name);
            dropped.incrementAndGet();
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (long i = 1; i <= 10; i++) {
            long start = System.nanoTime();
            d.dispatch(snapshot(i));
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 500, "dispatch never waits");
            while (fast.seen().size() < i && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
        }
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L), fast.seen());
        assertTrue(slow.seen().isEmpty());
        stalled.countDown();
        while (slow.seen().size() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        // the one it was stuck on, then the two newest pending; the ones in between were dropped and counted
        assertEquals(List.of(1L, 9L, 10L), slow.seen());
        assertEquals(7, dropped.get());
        d.close();
    }

    /** A sink whose stop never returns costs the others nothing, and the relay's shutdown stays inside its budget. */
    @Test
    void shutdownStopsEverySinkAtOnceWithinTheBudget() {
        CountDownLatch never = new CountDownLatch(1);
        java.util.List<String> stopped = new CopyOnWriteArrayList<>();
        MetricSink stuck = new MetricSink() {
            public String name() {
                return "stuck";
            }

            public void accept(Snapshot s) {
            }

            public void stop(Duration budget) {
                try {
                    never.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            public SinkStatus status() {
                return SinkStatus.up("stuck", "", java.util.Map.of());
            }
        };
        MetricSink quick = new MetricSink() {
            public String name() {
                return "quick";
            }

            public void accept(Snapshot s) {
            }

            public void stop(Duration budget) {
                stopped.add("quick within " + budget.toMillis() + " ms");
            }

            public SinkStatus status() {
                return SinkStatus.up("quick", "", java.util.Map.of());
            }
        };
        SinkDispatcher d = new SinkDispatcher(List.of(stuck, quick));
        long start = System.nanoTime();
        d.stopAll(Duration.ofMillis(500));
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(tookMs < 3000, "the budget bounds the shutdown: " + tookMs + " ms");
        assertEquals(List.of("quick within 500 ms"), stopped);
        never.countDown();
    }
}
