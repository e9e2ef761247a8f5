package io.gostats.relay.sink.mackerel.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class DeliveryPacerTest {

    final MutableClock clock = new MutableClock(Instant.ofEpochSecond(1795530600L));
    final DeliveryPacer pacer = new DeliveryPacer(clock);

    @Test
    void oneRequestPerSecond() {
        assertEquals(Duration.ZERO, pacer.untilNextAllowed());
        pacer.requestStarted();
        assertEquals(Duration.ofSeconds(1), pacer.untilNextAllowed());
        clock.advance(Duration.ofMillis(400));
        assertEquals(Duration.ofMillis(600), pacer.untilNextAllowed());
        clock.advance(Duration.ofMillis(600));
        assertEquals(Duration.ZERO, pacer.untilNextAllowed());
        clock.advance(Duration.ofSeconds(10));
        assertEquals(Duration.ZERO, pacer.untilNextAllowed(), "idle time is not saved up for a burst");
        pacer.requestStarted();
        assertEquals(Duration.ofSeconds(1), pacer.untilNextAllowed());
    }

    @Test
    void aFailedRequestPausesAMinute() {
        pacer.requestStarted();
        clock.advance(Duration.ofMillis(300));
        pacer.requestFailed();
        assertEquals(Duration.ofSeconds(60), pacer.untilNextAllowed());
        clock.advance(Duration.ofSeconds(59));
        assertEquals(Duration.ofSeconds(1), pacer.untilNextAllowed());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(Duration.ZERO, pacer.untilNextAllowed());
    }

    @Test
    void aPauseLongerThanTheSpacingIsKept() {
        DeliveryPacer slow = new DeliveryPacer(clock, Duration.ofSeconds(90), Duration.ofSeconds(60));
        slow.requestStarted();
        slow.requestFailed();
        assertEquals(Duration.ofSeconds(90), slow.untilNextAllowed());
        assertThrows(IllegalArgumentException.class,
                () -> new DeliveryPacer(clock, Duration.ofSeconds(-1), Duration.ZERO));
    }
}
