package io.gostats.relay.sink.mackerel.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class RetryAfterTest {

    static final Instant NOW = Instant.parse("2026-12-01T21:00:00Z");

    @Test
    void secondsOrAnHttpDateInAnyOfItsThreeForms() {
        assertEquals(Optional.of(Duration.ofSeconds(120)), RetryAfter.parse("120", NOW));
        assertEquals(Optional.of(Duration.ofSeconds(0)), RetryAfter.parse(" 0 ", NOW));
        assertEquals(Optional.of(Duration.ofSeconds(90)), RetryAfter.parse("Tue, 01 Dec 2026 21:01:30 GMT", NOW));
        assertEquals(Optional.of(Duration.ofSeconds(90)), RetryAfter.parse("Tuesday, 01-Dec-26 21:01:30 GMT", NOW));
        assertEquals(Optional.of(Duration.ofSeconds(90)), RetryAfter.parse("Tue Dec  1 21:01:30 2026", NOW));
    }

    @Test
    void aPastDateIsNoWaitAndGarbageIsAbsent() {
        assertEquals(Optional.of(Duration.ZERO), RetryAfter.parse("Tue, 01 Dec 2026 20:00:00 GMT", NOW));
        assertEquals(Optional.empty(), RetryAfter.parse(null, NOW));
        assertEquals(Optional.empty(), RetryAfter.parse("", NOW));
        assertEquals(Optional.empty(), RetryAfter.parse("-5", NOW));
        assertEquals(Optional.empty(), RetryAfter.parse("soon", NOW));
    }
}
