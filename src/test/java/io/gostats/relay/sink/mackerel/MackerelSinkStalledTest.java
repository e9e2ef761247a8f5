package io.gostats.relay.sink.mackerel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.gostats.relay.ConfigErrorsTest;
import io.gostats.relay.instance.InstanceIdentity;
import io.gostats.relay.sink.mackerel.api.FakeMackerel;
import io.gostats.relay.sink.mackerel.api.WithFakeMackerel;
import io.gostats.relay.sink.mackerel.points.MackerelBatchesTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The sink with Mackerel stalled: its start-up calls hold the sender, never the lane that queues the batches; at
 * SIGTERM the flush and the retire both give up, inside the budget the dispatcher waits.
 */
@QuarkusTest
@TestProfile(WithFakeMackerel.Profile.class)
class MackerelSinkStalledTest extends WithFakeMackerel {

    @TempDir
    Path state;

    MackerelSink registering() {
        String[] props = { "relay.mackerel.api-key", KEY, "relay.mackerel.api-base", fake.baseUri().toString(),
                "relay.mackerel.register-host", "true", "relay.mackerel.custom-identifier", "stalled.example",
                "relay.mackerel.auto-retire", "true", "relay.mackerel.dashboard.role", "Shop:api",
                "relay.mackerel.state-dir", state.toString(), "relay.discovery.docker.enabled", "false" };
        return new MackerelSink(ConfigErrorsTest.config(MackerelConfig.class, props),
                ConfigErrorsTest.config(props), new SimpleMeterRegistry(), new InstanceIdentity(Optional.empty()));
    }

    static long minuteNow() {
        return Instant.now().truncatedTo(ChronoUnit.MINUTES).getEpochSecond();
    }

    @Test
    void aStalledMackerelAtStartHoldsNoMinuteFromTheQueue() {
        fake.failUntilCleared(FakeMackerel.Fault.stallUntilReleased());
        MackerelSink sink = registering();
        try {
            long start = System.nanoTime();
            sink.start(); // on the lane: the dashboard and the host look-up wait for Mackerel's 30 s timeouts
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(ms < 5_000, "start held the lane " + ms + " ms");
            sink.accept(MackerelBatchesTest.snapshot(minuteNow() - 60, "stats-churn.json"));
            sink.accept(MackerelBatchesTest.snapshot(minuteNow(), "stats-pretty.json"));
            assertEquals(2, sink.status().details().get("queuedBatches"));
            assertTrue(fake.hosts().isEmpty(), "no host yet: the points wait on disk for one");
        } finally {
            fake.clearFailures();
            sink.stop(Duration.ofSeconds(1));
        }
    }

    @Test
    void aStalledMackerelLeavesTheSinkDoneBeforeItsBudgetEnds() throws InterruptedException {
        MackerelSink sink = registering();
        Duration budget = Duration.ofSeconds(3);
        try {
            sink.start();
            long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            // the sender registers the host and checks it while Mackerel still answers
            while ((sink.status().details().get("hostId") == null || fake.requestCount("/api/v0/hosts/"
                    + sink.status().details().get("hostId")) == 0) && System.nanoTime() < end) {
                Thread.sleep(50);
            }
            assertEquals(1, fake.hosts().size());
            fake.failUntilCleared(FakeMackerel.Fault.stallUntilReleased());
            sink.accept(MackerelBatchesTest.snapshot(minuteNow() - 60, "stats-churn.json"));
            sink.accept(MackerelBatchesTest.snapshot(minuteNow(), "stats-pretty.json"));
            assertEquals(2, sink.status().details().get("queuedBatches"), "the flush has work, and stalls on it");

            long start = System.nanoTime();
            sink.stop(budget);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            // the dispatcher stops waiting at the budget and the process exits: the retire (and its log line) must
            // be over before then; it ended at the budget itself, and under load just after it
            assertTrue(took.compareTo(budget.minus(MackerelSink.STOP_MARGIN.dividedBy(2))) < 0,
                    "stop took " + took.toMillis() + " ms of a " + budget.toMillis() + " ms budget");
            assertTrue(fake.requests().stream().anyMatch(r -> r.path().endsWith("/retire")), "the retire was tried");
        } finally {
            fake.clearFailures();
        }
    }
}
