package io.gostats.relay.collect.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import io.gostats.relay.model.container.ContainerRead;
import io.gostats.relay.model.container.ContainerStats;

class ContainerStatsCollectorTest {

    private final ExecutorService pool = Executors.newFixedThreadPool(4);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    static Map<String, ContainerRead> byId(List<ContainerRead> reads) {
        return reads.stream().collect(Collectors.toMap(ContainerRead::containerId, Function.identity()));
    }

    @Test
    void aSlowOrFailingContainerNeitherDelaysNorFailsTheOthers() {
        ContainerStats stats = ContainerStatsParserTest.sample("docker-v1-a");
        ContainerStatsSource source = id -> {
            switch (id) {
                case "slow" -> Thread.sleep(30_000);
                case "gone" -> throw new java.io.IOException("HTTP 404 (container gone)");
                default -> { }
            }
            return stats;
        };
        var collector = new ContainerStatsCollector(source, pool, 4, Duration.ofMillis(500));
        long start = System.nanoTime();
        Map<String, ContainerRead> r = byId(collector.collect(List.of("a", "slow", "gone", "b")).await()
                .atMost(Duration.ofSeconds(20)));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms < 10_000, "bounded by the deadline, took " + ms + " ms");
        assertEquals(stats, ((ContainerRead.Read) r.get("a")).stats());
        assertEquals(stats, ((ContainerRead.Read) r.get("b")).stats());
        assertTrue(((ContainerRead.Failed) r.get("slow")).detail().contains("no stats within"));
        assertTrue(((ContainerRead.Failed) r.get("gone")).detail().contains("404"));
    }

    @Test
    void atMostConcurrencyReadsAtOnceAndNoneOnTheCallersThread() {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        Thread caller = Thread.currentThread();
        ContainerStats stats = ContainerStatsParserTest.sample("docker-v2-a");
        ContainerStatsSource source = id -> {
            assertTrue(Thread.currentThread() != caller);
            most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            Thread.sleep(20);
            inFlight.decrementAndGet();
            return stats;
        };
        var collector = new ContainerStatsCollector(source, pool, 2, Duration.ofSeconds(30));
        List<ContainerRead> r = collector.collect(List.of("1", "2", "3", "4", "5", "6")).await()
                .atMost(Duration.ofSeconds(30));
        assertEquals(6, r.size());
        r.forEach(x -> assertInstanceOf(ContainerRead.Read.class, x));
        assertTrue(most.get() <= 2, "in flight at most 2, was " + most.get());
    }
}
