package io.gostats.relay.model.container;

import io.gostats.relay.model.OtlpName;

/**
 * The figures derived per container from one stats read (and, for rates, the previous read of this relay).
 * Counters are the engine's own, since the container started (Prometheus reads a restart as a counter reset);
 * rates are between two reads of this relay, a counter that went down counting from 0 (a restart), as the gostats
 * counters do. CPU percentages are of one core (100 = one core busy) over the wall time between the reads: podman's
 * {@code system_cpu_usage} counts only busy host time, so Docker's formula would overstate there.
 */
public enum ContainerFigure {
    CPU_USER_SECONDS(Kind.COUNTER, cpu("user"), Shared.CPU_TIME.with("cpu.mode", "user")),
    CPU_SYSTEM_SECONDS(Kind.COUNTER, cpu("system"), Shared.CPU_TIME.with("cpu.mode", "system")),
    CPU_TOTAL_SECONDS(Kind.COUNTER),
    CPU_THROTTLED_SECONDS(Kind.COUNTER, prometheus("gostats_container_cpu_throttled_seconds", null,
            "Time the container's CPU was throttled by its CFS quota (absent when no quota period elapsed)."),
            OtlpName.counter("gostats.container.cpu.throttled.time", "s")),
    CPU_PERIODS(Kind.COUNTER),
    CPU_THROTTLED_PERIODS(Kind.COUNTER),
    /** {@code docker stats}' MEM USAGE: usage without inactive file pages. */
    MEMORY_USAGE_BYTES(Kind.GAUGE, prometheus("gostats_container_memory_usage_bytes", null,
            "Memory used by the container without inactive file pages, as docker stats shows it."),
            OtlpName.upDown("container.memory.working_set", "By")),
    /** Page cache: v1 {@code total_cache}, v2 {@code file}. */
    MEMORY_CACHE_BYTES(Kind.GAUGE, prometheus("gostats_container_memory_cache_bytes", null,
            "Page cache of the container (cgroup v1 total_cache, v2 file)."),
            OtlpName.upDown("gostats.container.memory.cache", "By")),
    /** Anonymous memory, mackerel-plugin-docker's rss: v1 {@code total_rss}, v2 {@code anon}. */
    MEMORY_RSS_BYTES(Kind.GAUGE, null, OtlpName.upDown("container.memory.rss", "By")),
    MEMORY_LIMIT_BYTES(Kind.GAUGE, prometheus("gostats_container_memory_limit_bytes", null,
            "Memory limit of the container (the host's memory when it has none)."),
            OtlpName.upDown("gostats.container.memory.limit", "By")),
    NETWORK_RX_BYTES(Kind.COUNTER, prometheus("gostats_container_network_receive_bytes", null,
            "Bytes received on the container's network namespace (shared by an awsvpc task's containers)."),
            Shared.NETWORK_IO.with("network.io.direction", "receive")),
    NETWORK_TX_BYTES(Kind.COUNTER, prometheus("gostats_container_network_transmit_bytes", null,
            "Bytes sent from the container's network namespace (shared by an awsvpc task's containers)."),
            Shared.NETWORK_IO.with("network.io.direction", "transmit")),
    BLKIO_READ_BYTES(Kind.COUNTER, prometheus("gostats_container_blkio_read_bytes", null,
            "Bytes read from block devices."), Shared.DISK_IO.with("disk.io.direction", "read")),
    BLKIO_WRITE_BYTES(Kind.COUNTER, prometheus("gostats_container_blkio_write_bytes", null,
            "Bytes written to block devices."), Shared.DISK_IO.with("disk.io.direction", "write")),
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

    /**
     * The Prometheus series a figure is published as: its family (without {@code _total} for counters), the value of
     * its {@code mode} label where several figures share a family (null: none), and the family's help.
     */
    public record PrometheusName(String family, String mode, String help) {
    }

    /** The two CPU times share one family, told apart by their {@code mode}. */
    private static PrometheusName cpu(String mode) {
        return new PrometheusName("gostats_container_cpu_usage_seconds", mode,
                "CPU time the container used, by mode (user, system).");
    }

    private static PrometheusName prometheus(String family, String mode, String help) {
        return new PrometheusName(family, mode, help);
    }

    /** The OTLP names several figures share, told apart by a point attribute. */
    private static final class Shared {
        static final OtlpName CPU_TIME = OtlpName.counter("container.cpu.time", "s");
        static final OtlpName NETWORK_IO = OtlpName.counter("container.network.io", "By");
        static final OtlpName DISK_IO = OtlpName.counter("container.disk.io", "By");
    }

    public final Kind kind;
    /**
     * This catalogue's Prometheus name column; null: not on /q/metrics. Mackerel posts container figures in
     * mackerel-plugin-docker's graph layout, a rule of the Mackerel sink (its {@code ContainerPointMetric}).
     */
    public final PrometheusName prometheus;
    /** This catalogue's OTLP column; null: not sent over OTLP (the relay's rates: OTLP backends take their own). */
    public final OtlpName otlp;
    /** For a rate: the counter it is the rate of, and the factor applied to its per-second increase. */
    public final ContainerFigure counter;
    public final double scale;

    ContainerFigure(Kind kind) {
        this(kind, null);
    }

    ContainerFigure(Kind kind, PrometheusName prometheus) {
        this(kind, prometheus, null);
    }

    ContainerFigure(Kind kind, PrometheusName prometheus, OtlpName otlp) {
        this.kind = kind;
        this.prometheus = prometheus;
        this.otlp = otlp;
        this.counter = null;
        this.scale = 1;
    }

    ContainerFigure(ContainerFigure counter, double scale) {
        this.kind = Kind.RATE;
        this.prometheus = null;
        this.otlp = null;
        this.counter = counter;
        this.scale = scale;
    }

    /** The increase of a counter between two reads; one that went down was reset (a restart) and counts from 0. */
    public static double increase(double previous, double current) {
        return current >= previous ? current - previous : current;
    }
}
