package io.gostats.relay.bench;

/** What one benchmark size measured: the relay's figures and, from the same run, the two references. */
record SizeResult(
        int targets,
        int cycles,
        double cycleMedianMs,
        double cycleP95Ms,
        double cycleMeanMs,
        long failedFetches,
        double cpuPerTargetMicros,
        double cpuPerCycleMs,
        long rssBytes,
        long rssPeakBytes,
        long heapUsedBytes,
        long openFiles,
        double renderMedianMs,
        long renderBytes,
        double startToReadyMs,
        double sequentialMs,
        double floorRequestsPerSecond,
        String loadAverage) {

    /** The time the Go servers need for one request per target at their measured raw rate. */
    double floorCycleMs() {
        return targets * 1000.0 / floorRequestsPerSecond;
    }

    double vsSequential() {
        return cycleMedianMs / sequentialMs;
    }

    double vsFloor() {
        return cycleMedianMs / floorCycleMs();
    }
}
