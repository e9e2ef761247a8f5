package io.gostats.relay.sink.mackerel.points;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.junit.jupiter.api.Test;

/** A minute closes at second 0, or at its first cycle when the one at second 0 never came. */
class MinuteBoundaryTest {

    static final long T0 = MackerelBatchesTest.T0; // second 0 of a minute

    final MinuteBoundary boundary = new MinuteBoundary();

    boolean at(long second) {
        return boundary.closes(Instant.ofEpochSecond(second));
    }

    @Test
    void secondZeroClosesTheMinuteAndTheOtherCyclesOfItDoNot() {
        assertFalse(at(T0 - 45), "a start in mid-minute makes the baseline");
        assertFalse(at(T0 - 30));
        assertTrue(at(T0));
        assertFalse(at(T0 + 10));
        assertFalse(at(T0 + 50));
        assertTrue(at(T0 + 60));
        assertTrue(at(T0 + 120));
    }

    @Test
    void aStartAtSecondZeroClosesAtOnce() {
        assertTrue(at(T0));
    }

    @Test
    void overrunningCyclesThatSkipEverySecondZeroStillCloseEveryMinute() {
        // relay.interval=10s and 13 s cycles (Docker's 5 s timeout, then a hanging target's 8 s): every other
        // boundary is skipped, and once the skipped ones are the :00 ones, cycles run at :10, :30 and :50 for good
        for (int m = 0; m < 4; m++) {
            long base = T0 + 60L * m;
            assertEquals(m > 0, at(base + 10), "minute " + m + ": its first cycle closes it (the first ever: none)");
            assertFalse(at(base + 30));
            assertFalse(at(base + 50));
        }
    }

    @Test
    void aMinuteWithoutAnyCycleIsCrossedByTheNextOne() {
        assertFalse(at(T0 + 50));
        assertTrue(at(T0 + 130), "the lane dropped every snapshot of the minute between");
        assertFalse(at(T0 + 150));
    }
}
