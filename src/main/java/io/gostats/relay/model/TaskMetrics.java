package io.gostats.relay.model;

import io.gostats.relay.collect.GoStats;

/**
 * One task's numbers in one cycle: the raw reply (gauges, and the counters as the process reports them) plus the
 * counters this relay keeps across samples: GC cycles unwrapped past 2^32 and the GC pause time accumulated.
 */
public record TaskMetrics(GoStats raw, long gcCyclesTotal, double gcPauseSecondsTotal, boolean restarted) {
}
