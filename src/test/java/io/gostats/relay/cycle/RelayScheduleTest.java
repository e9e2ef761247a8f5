package io.gostats.relay.cycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

/** The cycle's cron, read by cron-utils (what quarkus-scheduler evaluates it with): boundaries of the wall clock. */
class RelayScheduleTest {

    private static final CronParser QUARTZ = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));

    /**
     * The first boundary of {@code interval}'s cron after {@code now}, in UTC, as a scheduler that looks at its
     * triggers once a second sees it (whole seconds).
     */
    static Instant nextBoundary(Instant now, Duration interval) {
        ExecutionTime cron = ExecutionTime.forCron(QUARTZ.parse(CycleSchedule.of(interval).cron()));
        return cron.nextExecution(now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).atZone(ZoneOffset.UTC))
                .orElseThrow().toInstant();
    }

    @Test
    void cyclesAreAlignedToTheClock() {
        Duration minute = Duration.ofSeconds(60);
        assertEquals(Instant.parse("2026-11-24T10:01:00Z"),
                nextBoundary(Instant.parse("2026-11-24T10:00:00.001Z"), minute));
        assertEquals(Instant.parse("2026-11-24T10:01:00Z"),
                nextBoundary(Instant.parse("2026-11-24T10:00:00Z"), minute));
        assertEquals(Instant.parse("2026-11-24T10:00:15Z"),
                nextBoundary(Instant.parse("2026-11-24T10:00:14.999Z"), Duration.ofSeconds(15)));
        assertEquals(Instant.parse("2026-11-24T10:00:01Z"),
                nextBoundary(Instant.parse("2026-11-24T10:00:00.5Z"), Duration.ofSeconds(1)));
        assertEquals(Instant.parse("2026-11-24T10:05:00Z"),
                nextBoundary(Instant.parse("2026-11-24T10:00:00Z"), Duration.ofMinutes(5)));
        assertEquals(Instant.parse("2026-11-24T11:00:00Z"),
                nextBoundary(Instant.parse("2026-11-24T10:59:59Z"), Duration.ofHours(1)));
    }

    @Test
    void everyAllowedIntervalStepsEvenlyThroughTheClock() {
        for (int s : CycleSchedule.SECONDS) {
            assertSteps(Duration.ofSeconds(s));
        }
        for (int m : CycleSchedule.MINUTES) {
            assertSteps(Duration.ofMinutes(m));
        }
    }

    private static void assertSteps(Duration interval) {
        Instant t = Instant.parse("2026-11-24T00:00:00Z");
        for (int i = 0; i < 200; i++) {
            Instant next = nextBoundary(t, interval);
            assertEquals(interval, Duration.between(t, next), "step " + i + " of " + interval + " from " + t);
            assertEquals(0, next.toEpochMilli() % interval.toMillis(), interval + ": " + next);
            t = next;
        }
    }

    @Test
    void intervalsOffTheClockAreRefusedNamingTheProperty() {
        for (Duration bad : new Duration[] { Duration.ofSeconds(7), Duration.ofSeconds(90), Duration.ofMillis(1500),
                Duration.ofMinutes(7), Duration.ofHours(2), Duration.ofSeconds(45) }) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CycleSchedule.of(bad));
            assertTrue(e.getMessage().startsWith("relay.interval: "), e.getMessage());
            assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
        }
    }
}
