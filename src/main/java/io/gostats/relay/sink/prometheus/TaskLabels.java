package io.gostats.relay.sink.prometheus;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.jboss.logging.Logger;

import io.gostats.relay.model.Snapshot;
import io.gostats.relay.model.TargetReport;

/**
 * The labels of each target of a snapshot, by target id. With {@code slot} labels, two targets may share one label
 * set: containers that ECS did not start, without a {@code gostats.group} label, serving the same container port
 * (each is its own family, so each holds slot 1), or a static target beside them. Their series would be one series
 * to Prometheus, so those targets keep the {@code task} labels instead, and an error names the property and the
 * targets, once per collision rather than every cycle: no data is lost, and those targets' series start anew with a
 * deploy until they are told apart. Static targets alone never collide (they share one family, so their slots
 * differ), which is why this is not a start-up check: only discovered containers can collide, and they appear later.
 */
final class TaskLabels {

    private static final Logger LOG = Logger.getLogger(TaskLabels.class);

    /** Label names and values of one target's series. */
    record Labels(List<String> names, List<String> values) {
    }

    private final SeriesLabels scheme;
    private Set<String> reported = Set.of();
    private volatile int collided;

    TaskLabels(SeriesLabels scheme) {
        this.scheme = scheme;
    }

    SeriesLabels scheme() {
        return scheme;
    }

    /** Targets that carry the task labels because their slot labels collided, in the last snapshot. */
    int collided() {
        return collided;
    }

    synchronized Map<String, Labels> of(Snapshot snapshot) {
        Map<String, Labels> byTarget = new HashMap<>(snapshot.targets().size() * 2);
        Map<List<String>, List<TargetReport>> byValues = new LinkedHashMap<>();
        for (TargetReport r : snapshot.targets()) {
            List<String> values = scheme.values(r.target(), r.slot());
            byTarget.put(r.target().id(), new Labels(scheme.names, values));
            byValues.computeIfAbsent(values, v -> new ArrayList<>()).add(r);
        }
        Map<String, List<String>> collisions = new TreeMap<>();
        byValues.forEach((values, reports) -> {
            if (reports.size() > 1) {
                List<String> ids = reports.stream().map(r -> r.target().id()).sorted().toList();
                collisions.put(labelText(values) + " " + ids, ids);
                reports.forEach(r -> byTarget.put(r.target().id(), new Labels(SeriesLabels.TASK.names,
                        SeriesLabels.TASK.values(r.target(), r.slot()))));
            }
        });
        collisions.keySet().stream().filter(c -> !reported.contains(c)).forEach(c -> LOG.errorf(
                "%s=%s: targets would share the labels %s; they are exposed with the task labels instead "
                        + "(new series with each deploy). Give such containers a gostats.group label, or set %s=task",
                SeriesLabels.PROPERTY, scheme.name().toLowerCase(java.util.Locale.ROOT), c, SeriesLabels.PROPERTY));
        reported = collisions.keySet();
        collided = collisions.values().stream().mapToInt(List::size).sum();
        return byTarget;
    }

    private String labelText(List<String> values) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (int i = 0; i < values.size(); i++) {
            labels.put(scheme.names.get(i), values.get(i));
        }
        return labels.toString();
    }
}
