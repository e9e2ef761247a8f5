package io.gostats.relay.sink.prometheus;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

import io.gostats.relay.model.ContainerFigure;
import io.gostats.relay.model.ContainerReport;
import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.Collector.MetricFamilySamples.Sample;
import io.prometheus.client.Collector.Type;

/**
 * The per-container series, with the gostats series' labels (those of the container's first target), so that a
 * task's container and Go runtime numbers join on them. A figure the engine does not report has no sample.
 */
final class ContainerSeries {

    private static final List<String> MODE_LABELS = concat(SnapshotCollector.LABELS, "mode");

    /** {@code name} without {@code _total} for counters: the exposition adds it to the samples. */
    private record Series(String name, Type type, String help, ContainerFigure figure) {
    }

    private static final List<Series> PLAIN = List.of(
            new Series("gostats_container_cpu_throttled_seconds", Type.COUNTER,
                    "Time the container's CPU was throttled by its CFS quota (absent when no quota period elapsed).",
                    ContainerFigure.CPU_THROTTLED_SECONDS),
            new Series("gostats_container_memory_usage_bytes", Type.GAUGE,
                    "Memory used by the container without inactive file pages, as docker stats shows it.",
                    ContainerFigure.MEMORY_USAGE_BYTES),
            new Series("gostats_container_memory_cache_bytes", Type.GAUGE,
                    "Page cache of the container (cgroup v1 total_cache, v2 file).", ContainerFigure.MEMORY_CACHE_BYTES),
            new Series("gostats_container_memory_limit_bytes", Type.GAUGE,
                    "Memory limit of the container (the host's memory when it has none).",
                    ContainerFigure.MEMORY_LIMIT_BYTES),
            new Series("gostats_container_network_receive_bytes", Type.COUNTER,
                    "Bytes received on the container's network namespace (shared by an awsvpc task's containers).",
                    ContainerFigure.NETWORK_RX_BYTES),
            new Series("gostats_container_network_transmit_bytes", Type.COUNTER,
                    "Bytes sent from the container's network namespace (shared by an awsvpc task's containers).",
                    ContainerFigure.NETWORK_TX_BYTES),
            new Series("gostats_container_blkio_read_bytes", Type.COUNTER, "Bytes read from block devices.",
                    ContainerFigure.BLKIO_READ_BYTES),
            new Series("gostats_container_blkio_write_bytes", Type.COUNTER, "Bytes written to block devices.",
                    ContainerFigure.BLKIO_WRITE_BYTES));

    private ContainerSeries() {
    }

    /** No containers (container stats off, static targets only): no container families at all. */
    static List<MetricFamilySamples> render(List<ContainerReport> containers) {
        if (containers.isEmpty()) {
            return List.of();
        }
        List<List<String>> labels = containers.stream().map(c -> SnapshotCollector.labelValues(c.target())).toList();
        List<MetricFamilySamples> families = new ArrayList<>(PLAIN.size() + 1);
        List<Sample> cpu = new ArrayList<>();
        for (int i = 0; i < containers.size(); i++) {
            ContainerReport c = containers.get(i);
            addMode(cpu, labels.get(i), "user", c.metrics().get(ContainerFigure.CPU_USER_SECONDS));
            addMode(cpu, labels.get(i), "system", c.metrics().get(ContainerFigure.CPU_SYSTEM_SECONDS));
        }
        families.add(new MetricFamilySamples("gostats_container_cpu_usage_seconds", Type.COUNTER,
                "CPU time the container used, by mode (user, system).", cpu));
        for (Series s : PLAIN) {
            String sampleName = s.type() == Type.COUNTER ? s.name() + "_total" : s.name();
            List<Sample> samples = new ArrayList<>(containers.size());
            for (int i = 0; i < containers.size(); i++) {
                OptionalDouble v = containers.get(i).metrics().get(s.figure());
                if (v.isPresent()) {
                    samples.add(new Sample(sampleName, SnapshotCollector.LABELS, labels.get(i), v.getAsDouble()));
                }
            }
            families.add(new MetricFamilySamples(s.name(), s.type(), s.help(), samples));
        }
        return families;
    }

    private static void addMode(List<Sample> out, List<String> labels, String mode, OptionalDouble v) {
        if (v.isPresent()) {
            out.add(new Sample("gostats_container_cpu_usage_seconds_total", MODE_LABELS, concat(labels, mode),
                    v.getAsDouble()));
        }
    }

    private static List<String> concat(List<String> a, String b) {
        List<String> all = new ArrayList<>(a);
        all.add(b);
        return List.copyOf(all);
    }
}
