package io.gostats.relay.sink.mackerel.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.gostats.relay.sink.mackerel.api.MetricValue;

/**
 * The figures README gives for draining a backlog: 6 hours of minute batches queued (a full queue) when Mackerel
 * comes back, a new minute every minute meanwhile, requests as the sender paces them (the default
 * {@link DeliveryPacer}, 100 KB bodies with the host id) and answered at once, in simulated time.
 */
class DrainPaceTest {

    static final long T0 = 1795530600L; // second 0 of a minute
    static final String HOST = "4Ab2cDeFgHi";
    static final int BODY_CAP = 100 * 1024;
    static final int QUEUE = 360;

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({ "100, 3", "1000, 10" })
    void sixHoursOfBacklogDrainInsideMackerelsWindow(int tasks, int withinHours) {
        MutableClock clock = new MutableClock(Instant.ofEpochSecond(T0 - 6 * 3600));
        DeliveryQueue queue = new DeliveryQueue(dir, QUEUE, clock, RetryPolicy.DEFAULT);
        long added = 0;
        for (long minute = T0 - (QUEUE - 1) * 60L; minute <= T0; minute += 60) {
            clock.set(Instant.ofEpochSecond(minute));
            queue.add(minute, MinuteValues.of(minute, tasks));
            added += 15L * tasks;
        }
        clock.set(Instant.ofEpochSecond(T0 + 1));
        DeliveryPacer pacer = new DeliveryPacer(clock);
        long nextMinute = T0 + 60;
        long requests = 0;
        long sent = 0;
        long oldest = 0;
        long wall = System.nanoTime();
        while (queue.size() > 1) {
            Duration wait = pacer.untilNextAllowed();
            Instant now = clock.instant();
            if (!now.plus(wait).isBefore(Instant.ofEpochSecond(nextMinute))) {
                clock.set(Instant.ofEpochSecond(nextMinute));
                queue.add(nextMinute, MinuteValues.of(nextMinute, tasks));
                added += 15L * tasks;
                nextMinute += 60;
                continue;
            }
            clock.advance(wait);
            Optional<Delivery> request = queue.nextRequest(BODY_CAP, HOST);
            assertTrue(request.isPresent(), "a backlog is due at once");
            Delivery d = request.get();
            pacer.requestStarted(queue.minuteBatches(d));
            assertTrue(d.bodyBytes() <= BODY_CAP);
            for (MetricValue v : d.values()) {
                oldest = Math.max(oldest, clock.instant().getEpochSecond() - v.time());
            }
            sent += d.values().size();
            requests++;
            queue.acknowledge(d);
        }
        Duration drain = Duration.between(Instant.ofEpochSecond(T0), clock.instant());
        double perMinute = requests / (drain.toSeconds() / 60.0);
        System.out.printf("6 h backlog of %,d tasks (%,d values a minute): drained in %s simulated, %,d requests"
                + " (%.1f a minute), oldest value %s old when sent (%d ms real)%n", tasks, 15 * tasks,
                drain, requests, perMinute, Duration.ofSeconds(oldest), (System.nanoTime() - wall) / 1_000_000);

        assertEquals(added, sent + queue.pendingPoints(), "nothing lost");
        for (DropReason r : DropReason.values()) {
            assertEquals(0, queue.droppedPoints(r), r.name());
        }
        assertTrue(drain.compareTo(Duration.ofHours(withinHours)) < 0, drain.toString());
        assertTrue(oldest < Duration.ofHours(24).toSeconds(), "inside Mackerel's 24-hour window");
        assertTrue(perMinute <= 31, perMinute + " requests a minute");
    }
}
