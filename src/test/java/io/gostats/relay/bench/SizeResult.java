package io.gostats.relay.bench;

/**
 * What one benchmark size measured: the relay over each format's targets, and from the same run the references:
 * for golang-stats the sequential loop and the Go servers' floor, for client_golang Prometheus scraping them itself.
 * {@code java25ReadyMs}: start to ready over the golang-stats targets on Java 25 with its AOT cache (NaN: not run).
 */
record SizeResult(int targets, RelayFigures goStats, double java25ReadyMs, double sequentialMs,
        double floorRequestsPerSecond,
        RelayFigures clientGolang, ScraperFigures prometheus, RelayFigures expvar, String loadAverage) {

    /** The time the Go servers need for one request per target at their measured raw rate. */
    double floorCycleMs() {
        return targets * 1000.0 / floorRequestsPerSecond;
    }

    double vsSequential() {
        return goStats.cycleMedianMs() / sequentialMs;
    }

    double vsFloor() {
        return goStats.cycleMedianMs() / floorCycleMs();
    }

    double cpuVsPrometheus() {
        return clientGolang.cpuPerTargetMicros() / prometheus.cpuPerTargetMicros();
    }

    double rssVsPrometheus() {
        return (double) clientGolang.rss() / prometheus.rss();
    }
}
