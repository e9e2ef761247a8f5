package io.gostats.relay.model;

import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * One task's numbers in one cycle: the runtime figures as the process reported them, plus the counters this relay
 * keeps across samples: GC cycles unwrapped past 2^32 (absent when the source has no GC count) and the GC pause
 * time since the process started (the source's own total where it has one, else the handler's per-request pause
 * summed over the relay's fetches; absent when the source has neither). {@code restarted}: a new process since the
 * previous sample.
 */
public record TaskMetrics(GoRuntime runtime, OptionalLong gcCyclesTotal, OptionalDouble gcPauseSecondsTotal,
        boolean restarted) {
}
