package io.gostats.relay.sink.mackerel.keys;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import io.gostats.relay.model.Target;
import io.gostats.relay.model.TargetReport;
import io.gostats.relay.model.TaskFamily;

/**
 * The key segment of every target's Mackerel metric names, from {@code relay.mackerel.key}. Without a template,
 * {@code {family}-{slot}}, or {@code {family}-{cport}-{slot}} for a family with several watched container ports
 * among the current targets, so that two ports of one family never share a key.
 * <p>
 * Keys are unique per host. Whether a template gives two targets one key depends on the containers that run, known
 * only after start-up, so a collision cannot be a start-up error: the first target by id keeps the key, the others
 * get {@code -2}, {@code -3}... and a warning says so, once per collision rather than every cycle. Such suffixes are
 * not stable across deploys; the template wants fixing.
 */
public final class TaskKeys {

    private static final Logger LOG = Logger.getLogger(TaskKeys.class);

    static final KeyTemplate ONE_PORT = KeyTemplate.parse("{family}-{slot}");
    static final KeyTemplate SEVERAL_PORTS = KeyTemplate.parse("{family}-{cport}-{slot}");

    /** Empty: the default. */
    private final Optional<KeyTemplate> template;
    private Set<String> reportedCollisions = Set.of();

    /**
     * @param template the {@code relay.mackerel.key} template; null or blank for the default
     * @throws IllegalArgumentException for a bad template, see {@link KeyTemplate#parse}
     */
    public TaskKeys(String template) {
        this.template = template == null || template.isBlank() ? Optional.empty()
                : Optional.of(KeyTemplate.parse(template.strip()));
    }

    /**
     * The key of each target, by target id, {@code {slot}} from the snapshot. Call it with every current target, up
     * or down, once per cycle.
     */
    public synchronized Map<String, String> keys(List<TargetReport> reports) {
        List<TargetReport> sorted = reports.stream().sorted(Comparator.comparing(r -> r.target().id())).toList();
        Map<String, Set<Integer>> portsOfFamily = sorted.stream().map(TargetReport::target)
                .collect(Collectors.groupingBy(t -> TaskFamily.of(t.identity()),
                        Collectors.mapping(Target::containerPort, Collectors.toSet())));
        Map<String, List<String>> idsByKey = new LinkedHashMap<>();
        for (TargetReport r : sorted) {
            Target t = r.target();
            KeyTemplate tpl = template.orElse(
                    portsOfFamily.get(TaskFamily.of(t.identity())).size() > 1 ? SEVERAL_PORTS : ONE_PORT);
            idsByKey.computeIfAbsent(tpl.render(t, r.slot()), k -> new ArrayList<>()).add(t.id());
        }
        return unique(idsByKey);
    }

    /** The first target of each key keeps it; the others get the lowest free suffix. */
    private Map<String, String> unique(Map<String, List<String>> idsByKey) {
        Map<String, String> keys = new HashMap<>();
        Set<String> taken = new HashSet<>(idsByKey.keySet());
        Set<String> collisions = new HashSet<>();
        idsByKey.forEach((key, ids) -> {
            keys.put(ids.get(0), key);
            if (ids.size() == 1) {
                return;
            }
            List<String> given = new ArrayList<>(List.of(key));
            int n = 2;
            for (String id : ids.subList(1, ids.size())) {
                while (taken.contains(key + "-" + n)) {
                    n++;
                }
                taken.add(key + "-" + n);
                keys.put(id, key + "-" + n);
                given.add(key + "-" + n);
            }
            String collision = key + " " + ids;
            collisions.add(collision);
            if (!reportedCollisions.contains(collision)) {
                LOG.warnf("Mackerel key '%s' would be given to %d targets %s; posting them as %s. Check "
                        + "relay.mackerel.key: keys must differ per target on a host, {slot} or {task_id} makes them",
                        key, ids.size(), ids, given);
            }
        });
        reportedCollisions = collisions;
        return keys;
    }
}
