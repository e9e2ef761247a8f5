package io.gostats.relay.model;

/**
 * The figures derived per container from one stats read (and, for rates, the previous read of this relay).
 * Counters are the engine's own, since the container started (Prometheus reads a restart as a counter reset);
 * rates are between two reads of this relay, a counter that went down counting from 0 (a restart), as the gostats
 * counters do. CPU percentages are of one core (100 = one core busy) over the wall time between the reads: podman's
 * {@code system_cpu_usage} counts only busy host time, so Docker's formula would overstate there.
 */
public enum ContainerFigure {
    CPU_USER_SECONDS(Kind.COUNTER),
    CPU_SYSTEM_SECONDS(Kind.COUNTER),
    CPU_TOTAL_SECONDS(Kind.COUNTER),
    CPU_THROTTLED_SECONDS(Kind.COUNTER),
    CPU_PERIODS(Kind.COUNTER),
    CPU_THROTTLED_PERIODS(Kind.COUNTER),
    /** {@code docker stats}' MEM USAGE: usage without inactive file pages. */
    MEMORY_USAGE_BYTES(Kind.GAUGE),
    /** Page cache: v1 {@code total_cache}, v2 {@code file}. */
    MEMORY_CACHE_BYTES(Kind.GAUGE),
    /** Anonymous memory, mackerel-plugin-docker's rss: v1 {@code total_rss}, v2 {@code anon}. */
    MEMORY_RSS_BYTES(Kind.GAUGE),
    MEMORY_LIMIT_BYTES(Kind.GAUGE),
    NETWORK_RX_BYTES(Kind.COUNTER),
    NETWORK_TX_BYTES(Kind.COUNTER),
    BLKIO_READ_BYTES(Kind.COUNTER),
    BLKIO_WRITE_BYTES(Kind.COUNTER),
    BLKIO_SYNC_BYTES(Kind.COUNTER),
    BLKIO_ASYNC_BYTES(Kind.COUNTER),
    BLKIO_READ_OPS(Kind.COUNTER),
    BLKIO_WRITE_OPS(Kind.COUNTER),
    BLKIO_SYNC_OPS(Kind.COUNTER),
    BLKIO_ASYNC_OPS(Kind.COUNTER),
    BLKIO_READ_QUEUED(Kind.GAUGE),
    BLKIO_WRITE_QUEUED(Kind.GAUGE),
    BLKIO_SYNC_QUEUED(Kind.GAUGE),
    BLKIO_ASYNC_QUEUED(Kind.GAUGE),
    CPU_USER_PERCENT(CPU_USER_SECONDS, 100),
    CPU_SYSTEM_PERCENT(CPU_SYSTEM_SECONDS, 100),
    CPU_TOTAL_PERCENT(CPU_TOTAL_SECONDS, 100),
    /** Throttled time over wall time, in percent (can pass 100 with several CPUs). */
    CPU_THROTTLED_PERCENT(CPU_THROTTLED_SECONDS, 100),
    NETWORK_RX_BYTES_PER_SECOND(NETWORK_RX_BYTES, 1),
    NETWORK_TX_BYTES_PER_SECOND(NETWORK_TX_BYTES, 1),
    BLKIO_READ_BYTES_PER_SECOND(BLKIO_READ_BYTES, 1),
    BLKIO_WRITE_BYTES_PER_SECOND(BLKIO_WRITE_BYTES, 1);

    public enum Kind {
        COUNTER, GAUGE, RATE
    }

    public final Kind kind;
    /** For a rate: the counter it is the rate of, and the factor applied to its per-second increase. */
    public final ContainerFigure counter;
    public final double scale;

    ContainerFigure(Kind kind) {
        this.kind = kind;
        this.counter = null;
        this.scale = 1;
    }

    ContainerFigure(ContainerFigure counter, double scale) {
        this.kind = Kind.RATE;
        this.counter = counter;
        this.scale = scale;
    }

    /** The increase of a counter between two reads; one that went down was reset (a restart) and counts from 0. */
    public static double increase(double previous, double current) {
        return current >= previous ? current - previous : current;
    }
}
