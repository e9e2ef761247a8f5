package io.gostats.relay.sink.mackerel.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class DeliveryPacerTest {

    final MutableClock clock = new MutableClock(Instant.ofEpochSecond(1795530600L));
    final DeliveryPacer pacer = new DeliveryPacer(clock);

    static void assertAround(Duration expected, Duration actual) {
        assertAround(expected, actual, "");
    }

    static void assertAround(Duration expected, Duration actual, String why) {
        long ms = expected.toMillis();
        assertTrue(actual.toMillis() >= ms * 0.75 && actual.toMillis() <= ms * 1.25, actual + " is not " + expected
                + " ±25 % " + why);
    }

    @Test
    void smallRequestsAreTwoSecondsApartWithJitter() {
        assertEquals(Duration.ZERO, pacer.untilNextAllowed());
        Set<Long> waits = new HashSet<>();
        long total = 0;
        for (int i = 0; i < 200; i++) {
            pacer.requestStarted(0.01);
            Duration wait = pacer.untilNextAllowed();
            assertAround(Duration.ofSeconds(2), wait);
            waits.add(wait.toMillis());
            total += wait.toMillis();
            clock.advance(wait);
            assertEquals(Duration.ZERO, pacer.untilNextAllowed());
        }
        assertTrue(waits.size() > 50, "randomized: " + waits.size() + " distinct waits");
        assertTrue(Math.abs(total / 200.0 - 2000) < 100, "2 s on average: " + total / 200.0);
        clock.advance(Duration.ofSeconds(10));
        assertEquals(Duration.ZERO, pacer.untilNextAllowed(), "idle time is not saved up for a burst");
    }

    @Test
    void aRequestOfMinuteBatchesWaitsFifteenSecondsForEach() {
        pacer.requestStarted(2);
        assertAround(Duration.ofSeconds(30), pacer.untilNextAllowed());
        clock.advance(Duration.ofMinutes(1));
        pacer.requestStarted(0.6);
        assertAround(Duration.ofSeconds(9), pacer.untilNextAllowed());
        clock.advance(Duration.ofMinutes(1));
        pacer.requestStarted(11);
        assertAround(Duration.ofSeconds(30), pacer.untilNextAllowed(), "at most the agent's 30 s");
    }

    @Test
    void aFailedRequestPausesAMinuteOrWhatTheServerAsked() {
        pacer.requestStarted();
        clock.advance(Duration.ofMillis(300));
        pacer.requestFailed();
        assertEquals(Duration.ofSeconds(60), pacer.untilNextAllowed());
        clock.advance(Duration.ofSeconds(59));
        assertEquals(Duration.ofSeconds(1), pacer.untilNextAllowed());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(Duration.ZERO, pacer.untilNextAllowed());

        pacer.requestStarted();
        pacer.requestFailed(Duration.ofSeconds(120));
        assertEquals(Duration.ofSeconds(120), pacer.untilNextAllowed(), "Retry-After: 120");
    }

    @Test
    void aPauseLongerThanTheSpacingIsKept() {
        DeliveryPacer slow = new DeliveryPacer(clock, Duration.ofSeconds(90), Duration.ofSeconds(60));
        slow.requestStarted();
        slow.requestFailed();
        assertAround(Duration.ofSeconds(90), slow.untilNextAllowed());
        assertTrue(slow.untilNextAllowed().compareTo(Duration.ofSeconds(60)) > 0);
        assertThrows(IllegalArgumentException.class,
                () -> new DeliveryPacer(clock, Duration.ofSeconds(-1), Duration.ZERO));
    }

    @Test
    void aFlushIsOneRequestASecondUnlessAFailurePausedIt() {
        pacer.requestStarted(2);
        assertAround(Duration.ofSeconds(30), pacer.untilNextAllowed());
        assertEquals(Duration.ofSeconds(1), pacer.untilNextAllowed(true), "at shutdown, mackerel-agent's 1 s");
        clock.advance(Duration.ofSeconds(1));
        assertEquals(Duration.ZERO, pacer.untilNextAllowed(true));
        pacer.requestFailed();
        assertEquals(Duration.ofSeconds(60), pacer.untilNextAllowed(true));
    }
}
