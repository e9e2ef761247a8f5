package io.gostats.relay.sink.mackerel.graphs;

import java.util.ArrayList;
import java.util.List;

import io.gostats.relay.sink.mackerel.api.GraphDefinition;

/**
 * The container graphs on Mackerel. Under {@code custom.docker.}: exactly mackerel-plugin-docker's six graphs (names,
 * labels, units, metric names, all stacked), which the organisation's graph definitions already hold for hosts that
 * still run the plugin. Under {@code custom.<prefix>_container.}: what the plugin lacks. The wildcard is the task's
 * key, the same as in its gostats metrics.
 */
public enum ContainerGraph {
    DOCKER_CPUACCT(true, "cpuacct", "Docker CPU", "integer", "user:User", "system:System"),
    DOCKER_CPUACCT_PERCENTAGE(true, "cpuacct_percentage", "Docker CPU Percentage", "percentage", "user:User",
            "system:System"),
    DOCKER_MEMORY(true, "memory", "Docker Memory", "bytes", "cache:Cache", "rss:RSS"),
    DOCKER_IO_QUEUED(true, "blkio.io_queued", "Docker BlkIO Queued", "integer", "read:Read", "write:Write",
            "sync:Sync", "async:Async"),
    DOCKER_IO_SERVICED(true, "blkio.io_serviced", "Docker BlkIO IOPS", "iops", "read:Read", "write:Write",
            "sync:Sync", "async:Async"),
    DOCKER_IO_SERVICE_BYTES(true, "blkio.io_service_bytes", "Docker BlkIO Bytes", "bytes", "read:Read",
            "write:Write", "sync:Sync", "async:Async"),
    NETWORK(false, "network", "Container Network", "bytes/sec", "rx:Received", "tx:Sent"),
    MEMORY(false, "memory", "Container Memory", "bytes", "usage:Usage", "limit:Limit"),
    CPU_THROTTLED(false, "cpu_throttled", "Container CPU Throttled", "percentage", "time:Throttled Time",
            "periods:Throttled Periods");

    /** Part of mackerel-plugin-docker's set (stacked metrics, {@code custom.docker.}). */
    public final boolean plugin;
    public final String key;
    final String label;
    final String unit;
    final List<String[]> metrics;

    ContainerGraph(boolean plugin, String key, String label, String unit, String... metrics) {
        this.plugin = plugin;
        this.key = key;
        this.label = label;
        this.unit = unit;
        this.metrics = java.util.Arrays.stream(metrics).map(m -> m.split(":", 2)).toList();
    }

    /** {@code custom.docker.<graph>} or {@code custom.<prefix>_container.<graph>}. */
    String base(String prefix) {
        return plugin ? "custom.docker." + key : "custom." + prefix + "_container." + key;
    }

    /** The name of one value: the graph's base, the task's key, the metric. */
    public String name(String prefix, String taskKey, String metric) {
        return base(prefix) + "." + taskKey + "." + metric;
    }

    public static List<GraphDefinition> definitions(String prefix) {
        List<GraphDefinition> defs = new ArrayList<>();
        for (ContainerGraph g : values()) {
            defs.add(g.definition(prefix));
        }
        return List.copyOf(defs);
    }

    /** This graph's wildcard definition, {@code <base>.#}. */
    public GraphDefinition definition(String prefix) {
        String name = base(prefix) + ".#";
        List<GraphDefinition.Metric> defined = metrics.stream()
                .map(m -> new GraphDefinition.Metric(name + "." + m[0], m[1], plugin)).toList();
        return new GraphDefinition(name, plugin ? label : GraphSets.title(prefix) + " " + label, unit, defined);
    }
}
