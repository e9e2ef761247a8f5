package io.gostats.relay.sink.otlp;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

import io.gostats.relay.model.TargetReport;
import io.gostats.relay.model.container.ContainerFigure;
import io.gostats.relay.model.container.ContainerMetrics;

/**
 * The start time of each cumulative series (OTLP data model, "Resets and Gaps"): a Go process's counters start at
 * the process's start where the source gives it (client_golang's {@code process_start_time_seconds}); else at the
 * first time the relay saw the process, and again after a detected restart (an unknown-start reset: the first point's start is its own time, so a restart reads as a
 * reset, never as a spike or a negative). The relay's own counters ({@code gostats.fetch.errors}) start when the
 * relay first saw the target; a container's counters when the relay first saw the container, and again when its CPU
 * time went down (the container restarted). After a relay restart every series starts anew: no double counting.
 */
final class StartTimes {

    private record Container(Instant start, double cpu) {
    }

    private final Map<String, Instant> processes = new HashMap<>();
    private final Map<String, Instant> targets = new HashMap<>();
    private final Map<String, Container> containers = new HashMap<>();

    /** The process's counters' start; a down target keeps its process's start for when it is back. */
    Instant process(TargetReport r, Instant time) {
        String id = r.target().id();
        OptionalDouble started = r.metrics().map(m -> m.runtime().startTimeSeconds()).orElse(OptionalDouble.empty());
        if (started.isPresent() && started.getAsDouble() > 0) {
            Instant start = Instant.ofEpochMilli((long) (started.getAsDouble() * 1000));
            processes.put(id, start.isAfter(time) ? time : start);
            return processes.get(id);
        }
        boolean restarted = r.metrics().map(m -> m.restarted()).orElse(false);
        if (restarted || !processes.containsKey(id)) {
            processes.put(id, time);
        }
        return processes.get(id);
    }

    Instant target(String targetId, Instant time) {
        return targets.computeIfAbsent(targetId, k -> time);
    }

    Instant container(ContainerMetrics m, Instant time) {
        OptionalDouble cpu = m.get(ContainerFigure.CPU_TOTAL_SECONDS);
        double now = cpu.orElse(0);
        Container c = containers.get(m.containerId());
        if (c == null || now < c.cpu()) {
            c = new Container(time, now);
        } else {
            c = new Container(c.start(), now);
        }
        containers.put(m.containerId(), c);
        return c.start();
    }

    /** Forget what left the snapshot: a target or container seen again later starts anew. */
    void retain(Set<String> targetIds, Set<String> containerIds) {
        processes.keySet().retainAll(targetIds);
        targets.keySet().retainAll(targetIds);
        containers.keySet().retainAll(containerIds);
    }
}
