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

/** SIGTERM with Mackerel stalled: the flush and the retire both give up, inside the budget the dispatcher waits. */
@QuarkusTest
@TestProfile(WithFakeMackerel.Profile.class)
class MackerelSinkStopTest extends WithFakeMackerel {

    @TempDir
    Path state;

    @Test
    void aStalledMackerelLeavesTheSinkDoneBeforeItsBudgetEnds() {
        String[] props = { "relay.mackerel.api-key", KEY, "relay.mackerel.api-base", fake.baseUri().toString(),
                "relay.mackerel.register-host", "true", "relay.mackerel.custom-identifier", "stop-test.example",
                "relay.mackerel.auto-retire", "true", "relay.mackerel.state-dir", state.toString(),
                "relay.discovery.docker.enabled", "false" };
        MackerelSink sink = new MackerelSink(ConfigErrorsTest.config(MackerelConfig.class, props),
                ConfigErrorsTest.config(props), new SimpleMeterRegistry(), new InstanceIdentity(Optional.empty()));
        Duration budget = Duration.ofSeconds(3);
        try {
            sink.start(); // registers the host and checks it while Mackerel still answers
            assertEquals(1, fake.hosts().size());
            fake.failUntilCleared(FakeMackerel.Fault.stallUntilReleased());
            long minute = Instant.now().truncatedTo(ChronoUnit.MINUTES).getEpochSecond();
            sink.accept(MackerelBatchesTest.snapshot(minute - 60, "stats-churn.json"));
            sink.accept(MackerelBatchesTest.snapshot(minute, "stats-pretty.json"));
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
