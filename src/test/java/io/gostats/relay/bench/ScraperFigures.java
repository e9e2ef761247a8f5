package io.gostats.relay.bench;

/**
 * Debian's Prometheus scraping the same targets directly: CPU over a window of whole scrape intervals, memory after
 * it, its mean scrape duration per target ({@code scrape_duration_seconds}) and how many targets were up.
 */
record ScraperFigures(int targets, int intervals, long cpuNanos, long rss, long hwm, double scrapeMeanMs, int up) {

    /** CPU per target and scrape (one scrape per target per interval). */
    double cpuPerTargetMicros() {
        return cpuNanos / 1000.0 / ((long) targets * intervals);
    }
}
