package io.gostats.relay.sink.mackerel.cost;

import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import io.gostats.relay.sink.mackerel.graphs.GraphGroup;

/**
 * What the relay costs its Mackerel host: the distinct metric names it posts to the host in a minute, against the
 * budget the host's allowance leaves once whatever else posts to that host (mackerel-agent's own metrics, its
 * plugins) is reserved. Mackerel bills a standard host's metrics beyond its allowance as overage, so passing the
 * budget is logged once (and coming back under once), never per minute.
 */
public final class HostMetricBudget {

    private static final Logger LOG = Logger.getLogger(HostMetricBudget.class);

    /** One minute's count: the distinct names and, by graph group, the values each group posted. */
    public record Minute(long minute, int metrics, Map<GraphGroup, Integer> perGroup) {

        public Minute {
            perGroup = Map.copyOf(perGroup);
        }

        /** {@code gostats 150, host-sums 24}, in the groups' order. */
        public String byGroup() {
            return new TreeMap<>(perGroup).entrySet().stream().map(e -> e.getKey().label + " " + e.getValue())
                    .collect(Collectors.joining(", "));
        }
    }

    private final int allowance;
    private final int reserve;
    private volatile Minute last;
    // guarded by this
    private boolean over;

    /** {@code reserve} below {@code allowance}: the configuration checks make sure of it. */
    public HostMetricBudget(int allowance, int reserve) {
        this.allowance = allowance;
        this.reserve = reserve;
    }

    /** What the relay may post to the host per minute: the allowance less the reserve. */
    public int budget() {
        return allowance - reserve;
    }

    /** Counts a minute's batch; logs once when the count passes the budget, and once when it is back under. */
    public synchronized Minute record(long minute, Collection<String> names, Map<GraphGroup, Integer> perGroup) {
        Minute m = new Minute(minute, new HashSet<>(names).size(), perGroup);
        last = m;
        boolean nowOver = m.metrics() > budget();
        if (nowOver && !over) {
            LOG.warnf("Mackerel: the relay posts %d metrics a minute to its host, over the %d that "
                    + "relay.mackerel.host-metric-allowance (%d) less relay.mackerel.host-metric-reserve (%d) leave; "
                    + "Mackerel bills metrics beyond a host's allowance as overage. By graph group: %s. Leave groups "
                    + "out with relay.mackerel.graphs, or cap the tasks with relay.mackerel.max-tasks",
                    m.metrics(), budget(), allowance, reserve, m.byGroup());
        } else if (!nowOver && over) {
            LOG.infof("Mackerel: the relay posts %d metrics a minute to its host, back within the %d budgeted",
                    m.metrics(), budget());
        }
        over = nowOver;
        return m;
    }

    /** The last minute counted; empty before the first minute's batch. */
    public Optional<Minute> last() {
        return Optional.ofNullable(last);
    }

    /** Whether the last minute passed the budget. */
    public boolean over() {
        Minute m = last;
        return m != null && m.metrics() > budget();
    }

    /** {@code 187 of 170 metrics/min (OVER)}, for health and the targets page; empty before the first minute. */
    public Optional<String> summary() {
        return last().map(m -> m.metrics() + " of " + budget() + " metrics/min to the host"
                + (m.metrics() > budget() ? " (OVER the allowance less reserve: billed as overage)" : ""));
    }
}
