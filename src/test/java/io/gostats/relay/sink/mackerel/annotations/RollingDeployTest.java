package io.gostats.relay.sink.mackerel.annotations;

import static io.gostats.relay.sink.mackerel.annotations.EcsSnapshots.T0;
import static io.gostats.relay.sink.mackerel.annotations.EcsSnapshots.at;
import static io.gostats.relay.sink.mackerel.annotations.EcsSnapshots.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.gostats.relay.model.Snapshot;
import io.gostats.relay.sink.mackerel.api.MackerelClient;
import io.gostats.relay.sink.mackerel.api.WithFakeMackerel;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Several relays of one service (annotators in one JVM, each with its own state directory and client) against one
 * Mackerel during rolling deploys: most hosts see the new revision in the same cycle, the rest a minute later. Counts
 * the duplicates the race between a relay's look-up and its post still lets through, with and without the random
 * wait. Scaled: the wait is 3 s here instead of 30 s, and every call takes 20 ms more than on loopback, so the
 * ratio of call time to wait is that of 200 ms calls (slower than Mackerel from AWS Tokyo) with the real 30 s.
 */
@QuarkusTest
@TestProfile(WithFakeMackerel.Profile.class)
class RollingDeployTest extends WithFakeMackerel {

    static final int RELAYS = 20;
    /** Hosts that see the new revision a cycle after the others. */
    static final int LATE = 4;
    static final int DEPLOYS = 8;
    static final Duration LATENCY = Duration.ofMillis(20);

    @TempDir
    Path dirs;

    record Relay(MackerelClient client, DeployAnnotator annotator) {
        int done() {
            return annotator.posted() + annotator.found() + annotator.failed();
        }
    }

    List<Relay> fleet(Duration maxWait, String name) throws IOException {
        List<Relay> fleet = new ArrayList<>();
        for (int i = 0; i < RELAYS; i++) {
            Path state = Files.createDirectories(dirs.resolve(name + "-" + i));
            MackerelClient c = new MackerelClient(fake.baseUri(), KEY, Duration.ofSeconds(10));
            // a running relay's client is warm: it has posted metrics to the same API for a while
            ok(await(c.findGraphAnnotations("Shop", 0, 1)));
            fleet.add(new Relay(c, new DeployAnnotator(c, "Shop", List.of("api"), maxWait, Duration.ofSeconds(10),
                    new RevisionHistory(state), new SplittableRandom(name.hashCode() * 31L + i))));
        }
        return fleet;
    }

    static void close(List<Relay> fleet) {
        fleet.forEach(r -> {
            r.annotator().close();
            r.client().close();
        });
    }

    static void awaitDone(List<Relay> relays, int each) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (relays.stream().anyMatch(r -> r.done() < each) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(relays.stream().allMatch(r -> r.done() >= each), "every relay dealt with the deploy");
    }

    /** The relays see the snapshot at the same moment, each on a thread of its own as on hosts of its own. */
    static void sightAtOnce(List<Relay> relays, Snapshot snapshot) throws InterruptedException {
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (Relay r : relays) {
            Thread t = new Thread(() -> {
                try {
                    go.await();
                    r.annotator().accept(snapshot);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            t.start();
            threads.add(t);
        }
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
    }

    /**
     * Runs {@code deploys} rolling deploys of family api over the fleet (revision 1 running everywhere first);
     * answers the annotations each deploy got.
     */
    int[] rollingDeploys(List<Relay> fleet, int deploys, String family) throws InterruptedException {
        fleet.forEach(r -> r.annotator().accept(at(T0, task("c0", family, "1", "prod"))));
        int[] annotations = new int[deploys];
        for (int d = 0; d < deploys; d++) {
            int revision = d + 2;
            // deploys an hour apart: their ±10 minute windows never meet
            long cycle = T0 + 3600L * (d + 1);
            List<Relay> first = fleet.subList(0, RELAYS - LATE);
            List<Relay> late = fleet.subList(RELAYS - LATE, RELAYS);
            sightAtOnce(first, at(cycle, task("c" + revision, family, Integer.toString(revision), "prod")));
            awaitDone(first, d + 1);
            sightAtOnce(late, at(cycle + 60, task("c" + revision, family, Integer.toString(revision), "prod")));
            awaitDone(late, d + 1);
            String title = "Deploy " + family + ":" + revision;
            annotations[d] = (int) fake.graphAnnotations().stream().filter(a -> a.title().equals(title)).count();
        }
        return annotations;
    }

    @Test
    void theRandomWaitLeavesFewDuplicatesWhereNoWaitLeavesMany() throws Exception {
        fake.addService("Shop", "api");
        fake.latency(LATENCY);

        List<Relay> waiting = fleet(Duration.ofSeconds(3), "waiting");
        int[] withWait;
        try {
            withWait = rollingDeploys(waiting, DEPLOYS, "api");
            assertTrue(waiting.stream().allMatch(r -> r.annotator().failed() == 0));
        } finally {
            close(waiting);
        }
        List<Relay> hasty = fleet(Duration.ZERO, "hasty");
        int[] noWait;
        try {
            noWait = rollingDeploys(hasty, 2, "web");
        } finally {
            close(hasty);
        }
        int duplicates = java.util.Arrays.stream(withWait).map(n -> n - 1).sum();
        int hastyDuplicates = java.util.Arrays.stream(noWait).map(n -> n - 1).sum();
        System.out.printf("RollingDeployTest: %d relays (%d in the first cycle, %d a cycle later), %d ms more per "
                + "call, wait up to 3 s: annotations per deploy %s, %d duplicates in %d deploys (%.2f a deploy, "
                + "%.2f after the first); without the wait: %s%n", RELAYS, RELAYS - LATE, LATE, LATENCY.toMillis(),
                java.util.Arrays.toString(withWait), duplicates, DEPLOYS, duplicates / (double) DEPLOYS,
                (duplicates - (withWait[0] - 1)) / (double) (DEPLOYS - 1), java.util.Arrays.toString(noWait));
        assertTrue(java.util.Arrays.stream(withWait).allMatch(n -> n >= 1), "every deploy annotated");
        assertTrue(java.util.Arrays.stream(noWait).allMatch(n -> n >= 1), "every deploy annotated");
        // the late hosts always find the annotation: at most the first cycle's hosts can race
        assertTrue(java.util.Arrays.stream(withWait).allMatch(n -> n <= RELAYS - LATE));
        // expected about (16 - 1) * 0.03 s / 3 s = 0.15 a deploy once the JVM is warm (the first deploy also pays
        // for class loading and compilation); 1 a deploy on average would be a broken wait
        int warmDuplicates = duplicates - (withWait[0] - 1);
        assertTrue(warmDuplicates < DEPLOYS - 1, "with the wait: " + java.util.Arrays.toString(withWait));
        assertTrue(hastyDuplicates > 2 * (RELAYS - LATE) / 2, "without it the look-ups all come before the posts: "
                + java.util.Arrays.toString(noWait));
        assertEquals(0, fake.requests().stream().filter(r -> r.path().equals("/api/v0/graph-annotations"))
                .filter(r -> !r.method().equals("GET") && !r.method().equals("POST")).count());
    }
}
