package io.gostats.relay.bench;

/**
 * One relay run over one set of targets: its cycles (ms, from its log), the cycle meter's mean, failed fetches, CPU
 * and memory over the measured cycles (with {@code /q/metrics} scraped once per cycle: {@code renderMs} is the median
 * of those scrapes), and start to ready.
 */
record RelayFigures(int targets, double[] cycleMs, double meanMs, long failed, long cpuNanos, long rss, long hwm,
        long heapUsed, long openFiles, double renderMs, long renderBytes, double readyMs) {

    double cycleMedianMs() {
        return RelayBenchmark.percentile(cycleMs, 50);
    }

    double cycleP95Ms() {
        return RelayBenchmark.percentile(cycleMs, 95);
    }

    /** CPU per target and cycle, scrapes of /q/metrics and idle time between cycles included. */
    double cpuPerTargetMicros() {
        return cpuNanos / 1000.0 / ((long) targets * cycleMs.length);
    }

    double cpuPerCycleMs() {
        return cpuNanos / 1e6 / cycleMs.length;
    }
}
