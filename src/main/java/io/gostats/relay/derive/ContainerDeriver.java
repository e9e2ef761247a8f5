package io.gostats.relay.derive;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.gostats.relay.model.Target;
import io.gostats.relay.model.container.ContainerReport;
import io.gostats.relay.model.container.ContainerFigure;
import io.gostats.relay.model.container.ContainerRead;
import io.gostats.relay.model.container.ContainerStats;
import io.gostats.relay.model.container.ContainerMetrics;

/**
 * Turns one cycle's container reads into reports, keeping each container's previous figures (its counters) for the
 * rates. State of containers not read this cycle is dropped. Called from the cycle thread only.
 */
public final class ContainerDeriver {

    private static final double NANOS = 1e9;

    private final Map<String, ContainerMetrics> previous = new HashMap<>();

    /**
     * @param targets this cycle's targets: a container's report carries its first one
     * @param slots   their slots, by target id
     */
    public List<ContainerReport> derive(List<ContainerRead> reads, List<Target> targets, Map<String, Integer> slots) {
        Map<String, Target> firstTarget = new HashMap<>();
        targets.stream().sorted(Comparator.comparing(Target::id))
                .forEach(t -> firstTarget.putIfAbsent(t.identity().containerId(), t));
        Map<String, ContainerMetrics> next = new HashMap<>();
        List<ContainerReport> reports = new ArrayList<>();
        for (ContainerRead r : reads) {
            Target target = firstTarget.get(r.containerId());
            if (!(r instanceof ContainerRead.Read read) || target == null) {
                continue;
            }
            ContainerMetrics m = figures(r.containerId(), read.stats(), Optional.ofNullable(previous.get(r.containerId())));
            next.put(r.containerId(), m);
            reports.add(new ContainerReport(target, slots.get(target.id()), m));
        }
        previous.clear();
        previous.putAll(next);
        reports.sort(Comparator.comparing(c -> c.target().id()));
        return List.copyOf(reports);
    }

    static ContainerMetrics figures(String id, ContainerStats s, Optional<ContainerMetrics> prev) {
        Map<ContainerFigure, Double> f = new EnumMap<>(ContainerFigure.class);
        ContainerStats.Cpu cpu = s.cpu();
        f.put(ContainerFigure.CPU_TOTAL_SECONDS, cpu.total() / NANOS);
        cpu.user().ifPresent(v -> f.put(ContainerFigure.CPU_USER_SECONDS, v / NANOS));
        cpu.kernel().ifPresent(v -> f.put(ContainerFigure.CPU_SYSTEM_SECONDS, v / NANOS));
        // no CFS period ever elapsed: no quota, or an engine that does not count (podman sends zeros)
        cpu.throttling().filter(t -> t.periods() > 0).ifPresent(t -> {
            f.put(ContainerFigure.CPU_PERIODS, (double) t.periods());
            f.put(ContainerFigure.CPU_THROTTLED_PERIODS, (double) t.throttledPeriods());
            f.put(ContainerFigure.CPU_THROTTLED_SECONDS, t.throttledTime() / NANOS);
        });
        s.memory().ifPresent(m -> memory(m, f));
        s.network().ifPresent(n -> {
            f.put(ContainerFigure.NETWORK_RX_BYTES, (double) n.rxBytes());
            f.put(ContainerFigure.NETWORK_TX_BYTES, (double) n.txBytes());
        });
        s.blkio().serviceBytes().ifPresent(b -> {
            f.put(ContainerFigure.BLKIO_READ_BYTES, (double) b.getOrDefault("read", 0L));
            f.put(ContainerFigure.BLKIO_WRITE_BYTES, (double) b.getOrDefault("write", 0L));
            put(f, ContainerFigure.BLKIO_SYNC_BYTES, b, "sync");
            put(f, ContainerFigure.BLKIO_ASYNC_BYTES, b, "async");
        });
        s.blkio().serviced().ifPresent(b -> {
            put(f, ContainerFigure.BLKIO_READ_OPS, b, "read");
            put(f, ContainerFigure.BLKIO_WRITE_OPS, b, "write");
            put(f, ContainerFigure.BLKIO_SYNC_OPS, b, "sync");
            put(f, ContainerFigure.BLKIO_ASYNC_OPS, b, "async");
        });
        s.blkio().queued().ifPresent(b -> {
            put(f, ContainerFigure.BLKIO_READ_QUEUED, b, "read");
            put(f, ContainerFigure.BLKIO_WRITE_QUEUED, b, "write");
            put(f, ContainerFigure.BLKIO_SYNC_QUEUED, b, "sync");
            put(f, ContainerFigure.BLKIO_ASYNC_QUEUED, b, "async");
        });
        prev.ifPresent(p -> rates(p, s, f));
        return new ContainerMetrics(id, s.read(), f);
    }

    private static void memory(ContainerStats.Memory m, Map<ContainerFigure, Double> f) {
        Map<String, Long> stats = m.stats();
        m.usage().ifPresent(usage -> {
            Long inactive = stats.containsKey("total_inactive_file") ? stats.get("total_inactive_file")
                    : stats.get("inactive_file");
            long used = inactive != null && usage - inactive > 0 ? usage - inactive : usage;
            f.put(ContainerFigure.MEMORY_USAGE_BYTES, (double) used);
        });
        m.limit().ifPresent(l -> f.put(ContainerFigure.MEMORY_LIMIT_BYTES, (double) l));
        boolean v1 = stats.containsKey("total_rss");
        Long cache = v1 ? stats.get("total_cache") : stats.get("file");
        Long rss = v1 ? stats.get("total_rss") : stats.get("anon");
        if (cache != null) {
            f.put(ContainerFigure.MEMORY_CACHE_BYTES, (double) cache);
        }
        if (rss != null) {
            f.put(ContainerFigure.MEMORY_RSS_BYTES, (double) rss);
        }
    }

    private static void put(Map<ContainerFigure, Double> f, ContainerFigure figure, Map<String, Long> byOp,
            String op) {
        Long v = byOp.get(op);
        if (v != null) {
            f.put(figure, (double) v);
        }
    }

    private static void rates(ContainerMetrics prev, ContainerStats s, Map<ContainerFigure, Double> f) {
        double seconds = Duration.between(prev.readAt(), s.read()).toNanos() / NANOS;
        if (seconds <= 0) {
            return;
        }
        for (ContainerFigure rate : ContainerFigure.values()) {
            if (rate.kind != ContainerFigure.Kind.RATE) {
                continue;
            }
            Double cur = f.get(rate.counter);
            Double last = prev.figures().get(rate.counter);
            if (cur != null && last != null) {
                f.put(rate, ContainerFigure.increase(last, cur) / seconds * rate.scale);
            }
        }
    }
}
