package io.gostats.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class RelayScheduleTest {

    @Test
    void cyclesAreAlignedToTheClock() {
        Duration minute = Duration.ofSeconds(60);
        assertEquals(Instant.parse("2026-11-24T10:01:00Z"),
                Relay.nextBoundary(Instant.parse("2026-11-24T10:00:00.001Z"), minute));
        assertEquals(Instant.parse("2026-11-24T10:01:00Z"),
                Relay.nextBoundary(Instant.parse("2026-11-24T10:00:00Z"), minute));
        assertEquals(Instant.parse("2026-11-24T10:00:15Z"),
                Relay.nextBoundary(Instant.parse("2026-11-24T10:00:14.999Z"), Duration.ofSeconds(15)));
    }
}
