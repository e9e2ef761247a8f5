package io.gostats.relay.sink.mackerel.points;

import io.gostats.relay.model.container.ContainerFigure;
import io.gostats.relay.sink.mackerel.graphs.ContainerGraph;

/**
 * Every container value posted to Mackerel, with the figure it comes from and how a minute's point is made of it.
 * The plugin's meanings are kept, with the correct numbers where the plugin's bugs give zeros or nothing: the IOPS
 * graph gets operations per second (the plugin's 1/60 scale truncates to 0), block I/O ops match in any case and sum
 * over devices (the plugin takes the last {@code Read}... entry only, so cgroup v2 never matches), and CPU percent is
 * over wall time (the plugin divides by podman's busy-only host time, and has no CPU count there).
 */
public enum ContainerPointMetric {
    CPU_USER(ContainerGraph.DOCKER_CPUACCT_PERCENTAGE, "user", ContainerFigure.CPU_USER_SECONDS, Kind.PERCENT_OF_TIME),
    CPU_SYSTEM(ContainerGraph.DOCKER_CPUACCT_PERCENTAGE, "system", ContainerFigure.CPU_SYSTEM_SECONDS,
            Kind.PERCENT_OF_TIME),
    MEMORY_CACHE(ContainerGraph.DOCKER_MEMORY, "cache", ContainerFigure.MEMORY_CACHE_BYTES, Kind.GAUGE),
    MEMORY_RSS(ContainerGraph.DOCKER_MEMORY, "rss", ContainerFigure.MEMORY_RSS_BYTES, Kind.GAUGE),
    QUEUED_READ(ContainerGraph.DOCKER_IO_QUEUED, "read", ContainerFigure.BLKIO_READ_QUEUED, Kind.GAUGE),
    QUEUED_WRITE(ContainerGraph.DOCKER_IO_QUEUED, "write", ContainerFigure.BLKIO_WRITE_QUEUED, Kind.GAUGE),
    QUEUED_SYNC(ContainerGraph.DOCKER_IO_QUEUED, "sync", ContainerFigure.BLKIO_SYNC_QUEUED, Kind.GAUGE),
    QUEUED_ASYNC(ContainerGraph.DOCKER_IO_QUEUED, "async", ContainerFigure.BLKIO_ASYNC_QUEUED, Kind.GAUGE),
    SERVICED_READ(ContainerGraph.DOCKER_IO_SERVICED, "read", ContainerFigure.BLKIO_READ_OPS, Kind.PER_SECOND),
    SERVICED_WRITE(ContainerGraph.DOCKER_IO_SERVICED, "write", ContainerFigure.BLKIO_WRITE_OPS, Kind.PER_SECOND),
    SERVICED_SYNC(ContainerGraph.DOCKER_IO_SERVICED, "sync", ContainerFigure.BLKIO_SYNC_OPS, Kind.PER_SECOND),
    SERVICED_ASYNC(ContainerGraph.DOCKER_IO_SERVICED, "async", ContainerFigure.BLKIO_ASYNC_OPS, Kind.PER_SECOND),
    BYTES_READ(ContainerGraph.DOCKER_IO_SERVICE_BYTES, "read", ContainerFigure.BLKIO_READ_BYTES, Kind.PER_MINUTE),
    BYTES_WRITE(ContainerGraph.DOCKER_IO_SERVICE_BYTES, "write", ContainerFigure.BLKIO_WRITE_BYTES, Kind.PER_MINUTE),
    BYTES_SYNC(ContainerGraph.DOCKER_IO_SERVICE_BYTES, "sync", ContainerFigure.BLKIO_SYNC_BYTES, Kind.PER_MINUTE),
    BYTES_ASYNC(ContainerGraph.DOCKER_IO_SERVICE_BYTES, "async", ContainerFigure.BLKIO_ASYNC_BYTES, Kind.PER_MINUTE),
    NETWORK_RX(ContainerGraph.NETWORK, "rx", ContainerFigure.NETWORK_RX_BYTES, Kind.PER_SECOND),
    NETWORK_TX(ContainerGraph.NETWORK, "tx", ContainerFigure.NETWORK_TX_BYTES, Kind.PER_SECOND),
    MEMORY_USAGE(ContainerGraph.MEMORY, "usage", ContainerFigure.MEMORY_USAGE_BYTES, Kind.GAUGE),
    MEMORY_LIMIT(ContainerGraph.MEMORY, "limit", ContainerFigure.MEMORY_LIMIT_BYTES, Kind.GAUGE),
    THROTTLED_TIME(ContainerGraph.CPU_THROTTLED, "time", ContainerFigure.CPU_THROTTLED_SECONDS, Kind.PERCENT_OF_TIME),
    THROTTLED_PERIODS(ContainerGraph.CPU_THROTTLED, "periods", ContainerFigure.CPU_THROTTLED_PERIODS,
            Kind.PERCENT_OF_PERIODS);

    enum Kind {
        GAUGE,
        /** Increase over the minute per second. */
        PER_SECOND,
        /** The plugin's Diff: increase per minute. */
        PER_MINUTE,
        /** Increase of a time in seconds over the wall time, in percent (100 = one core). */
        PERCENT_OF_TIME,
        /** Throttled periods over elapsed CFS periods, in percent. */
        PERCENT_OF_PERIODS
    }

    public final ContainerGraph graph;
    public final String metric;
    final ContainerFigure figure;
    final Kind kind;

    ContainerPointMetric(ContainerGraph graph, String metric, ContainerFigure figure, Kind kind) {
        this.graph = graph;
        this.metric = metric;
        this.figure = figure;
        this.kind = kind;
    }

    /** The metric's full Mackerel name for a task key. */
    public String name(String prefix, String taskKey) {
        return graph.name(prefix, taskKey, metric);
    }
}
