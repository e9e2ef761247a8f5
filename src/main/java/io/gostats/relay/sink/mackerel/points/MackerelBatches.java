package io.gostats.relay.sink.mackerel.points;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import io.gostats.relay.model.Snapshot;
import io.gostats.relay.sink.mackerel.api.MetricValue;
import io.gostats.relay.sink.mackerel.graphs.GostatsMetric;
import io.gostats.relay.sink.mackerel.graphs.GraphGroup;
import io.gostats.relay.sink.mackerel.keys.TaskKeys;

/**
 * Turns snapshots into minute batches of Mackerel values: every task's 15 metrics under
 * {@code custom.<prefix>.<key>.<graph>.<metric>}, its process figures where its source has them, and the host's
 * sums under {@code custom.<prefix>_host.}, of the graph groups chosen ({@link GraphGroup}). The host id is filled in
 * when the batch is sent, so that points made
 * before it is known are kept.
 */
public final class MackerelBatches {

    private static final Logger LOG = Logger.getLogger(MackerelBatches.class);

    /** A minute's values, not yet bound to a host; {@code perGroup}: how many of them each group posts. */
    public record MinuteBatch(long minute, List<MetricValue> values, Map<GraphGroup, Integer> perGroup) {

        public MinuteBatch {
            values = List.copyOf(values);
            perGroup = Map.copyOf(perGroup);
        }
    }

    private final String prefix;
    private final MinutePoints points;
    private final ContainerMinutePoints containerPoints = new ContainerMinutePoints();
    private final ProcessMinutePoints processPoints = new ProcessMinutePoints();
    private final TaskKeys keys;
    private final int maxTasks;
    private final Set<GraphGroup> groups;
    /** The tasks left out at the last warning: warned again only when that changes. */
    private String reportedCap = "";
    private volatile Map<String, String> lastKeys = Map.of();

    /** Every graph group. */
    public MackerelBatches(String prefix, boolean compat, TaskKeys keys, int maxTasks) {
        this(prefix, compat, keys, maxTasks, EnumSet.allOf(GraphGroup.class));
    }

    public MackerelBatches(String prefix, boolean compat, TaskKeys keys, int maxTasks, Set<GraphGroup> groups) {
        this.prefix = prefix;
        this.points = new MinutePoints(compat);
        this.keys = keys;
        this.maxTasks = maxTasks;
        this.groups = Set.copyOf(groups);
    }

    public Optional<MinuteBatch> accept(Snapshot snapshot) {
        List<MinutePoints.TaskPoint> taskPoints = points.accept(snapshot);
        List<ProcessMinutePoints.ProcessPoint> processes = processPoints.accept(snapshot);
        List<ContainerMinutePoints.ContainerPoint> containers = containerPoints.accept(snapshot);
        // every cycle, not only at the minute: the targets page shows each target's key from the first cycle
        Map<String, String> keyOf = keys.keys(snapshot.targets());
        lastKeys = Map.copyOf(keyOf);
        if (taskPoints.isEmpty() && containers.isEmpty() && processes.isEmpty()) {
            return Optional.empty();
        }
        List<MinutePoints.TaskPoint> posted = capped(taskPoints, keyOf);
        long minute = snapshot.cycleTime().getEpochSecond();
        Values values = new Values(minute, posted.size() * GostatsMetric.values().length + 40);
        for (MinutePoints.TaskPoint p : posted) {
            String base = "custom." + prefix + "." + keyOf.get(p.target().id()) + ".";
            p.values().forEach((m, v) -> values.add(GraphGroup.GOSTATS, base + m.path(), v));
        }
        Set<String> postedIds = posted.size() < taskPoints.size()
                ? posted.stream().map(p -> p.target().id()).collect(Collectors.toSet()) : null;
        for (ProcessMinutePoints.ProcessPoint p : processes) {
            if (postedIds == null || postedIds.contains(p.target().id())) {
                String base = "custom." + prefix + "." + keyOf.get(p.target().id()) + ".";
                p.values().forEach((m, v) -> values.add(GraphGroup.PROCESS, base + m.path(), v));
            }
        }
        String host = "custom." + prefix + "_host.";
        HostAggregates.of(taskPoints, snapshot).forEach((path, v) -> values.add(GraphGroup.HOST_SUMS, host + path, v));
        addContainers(containers, keyOf, posted.size() < taskPoints.size() ? posted : null, values);
        return values.list.isEmpty() ? Optional.empty()
                : Optional.of(new MinuteBatch(minute, values.list, values.perGroup));
    }

    /** A minute's values as they are made, of the chosen groups only, counted by group. */
    private final class Values {
        final long minute;
        final List<MetricValue> list;
        final Map<GraphGroup, Integer> perGroup = new EnumMap<>(GraphGroup.class);

        Values(long minute, int capacity) {
            this.minute = minute;
            this.list = new ArrayList<>(capacity);
        }

        void add(GraphGroup group, String name, double value) {
            if (groups.contains(group)) {
                list.add(new MetricValue("", name, minute, value));
                perGroup.merge(group, 1, Integer::sum);
            }
        }
    }

    /**
     * Each container's values under its first target's key; with a task cap in force ({@code posted} not null),
     * only those of the posted tasks' keys.
     */
    private void addContainers(List<ContainerMinutePoints.ContainerPoint> containers, Map<String, String> keyOf,
            List<MinutePoints.TaskPoint> posted, Values values) {
        Set<String> postedKeys = posted == null ? null
                : posted.stream().map(p -> keyOf.get(p.target().id())).collect(Collectors.toSet());
        List<ContainerMinutePoints.ContainerPoint> kept = new ArrayList<>();
        for (ContainerMinutePoints.ContainerPoint c : containers) {
            String key = keyOf.get(c.container().target().id());
            if (key == null || postedKeys != null && !postedKeys.contains(key)) {
                continue;
            }
            kept.add(c);
            c.values().forEach((m, v) -> values.add(GraphGroup.of(m.graph), m.name(prefix, key), v));
        }
        String host = "custom." + prefix + "_host.";
        ContainerHostAggregates.of(kept).forEach((path, v) -> values.add(GraphGroup.HOST_SUMS, host + path, v));
    }

    /** Each target's key segment as of the last snapshot, by target id. */
    public Map<String, String> keys() {
        return lastKeys;
    }

    /** At most {@code maxTasks} tasks, chosen by key so that the same ones stay posted. */
    private List<MinutePoints.TaskPoint> capped(List<MinutePoints.TaskPoint> all, Map<String, String> keyOf) {
        if (maxTasks <= 0 || all.size() <= maxTasks) {
            return all;
        }
        List<MinutePoints.TaskPoint> sorted = all.stream()
                .sorted(Comparator.comparing(p -> keyOf.get(p.target().id()))).toList();
        String left = sorted.subList(maxTasks, sorted.size()).stream()
                .map(p -> keyOf.get(p.target().id())).toList().toString();
        if (!left.equals(reportedCap)) {
            reportedCap = left;
            LOG.warnf("relay.mackerel.max-tasks=%d: %d tasks are not posted to Mackerel: %s", maxTasks,
                    sorted.size() - maxTasks, left);
        }
        return sorted.subList(0, maxTasks);
    }

    /** Tasks with per-task state (for the churn soak). */
    int trackedTasks() {
        return points.tracked();
    }
}
