package io.gostats.relay.sink.mackerel.points;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fixed-name sums of the host's containers under {@code custom.<prefix>_host.container_<graph>.<metric>}, for role
 * graphs (as {@link HostAggregates} for gostats). Network counts each task once, with its busiest container: the
 * containers of an awsvpc task all report the one namespace they share, and summing them would multiply it.
 */
public final class ContainerHostAggregates {

    private ContainerHostAggregates() {
    }

    /** {@code <graph>.<metric>} → value, for one minute. */
    public static Map<String, Double> of(List<ContainerMinutePoints.ContainerPoint> points) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (points.isEmpty()) {
            return out;
        }
        Map<String, double[]> networkOfTask = new HashMap<>();
        for (ContainerMinutePoints.ContainerPoint p : points) {
            Map<ContainerPointMetric, Double> v = p.values();
            sum(out, "container_cpu.user", v.get(ContainerPointMetric.CPU_USER));
            sum(out, "container_cpu.system", v.get(ContainerPointMetric.CPU_SYSTEM));
            sum(out, "container_memory.usage", v.get(ContainerPointMetric.MEMORY_USAGE));
            sum(out, "container_blkio.read", perSecond(v.get(ContainerPointMetric.BYTES_READ)));
            sum(out, "container_blkio.write", perSecond(v.get(ContainerPointMetric.BYTES_WRITE)));
            Double rx = v.get(ContainerPointMetric.NETWORK_RX);
            Double tx = v.get(ContainerPointMetric.NETWORK_TX);
            if (rx != null && tx != null) {
                String arn = p.container().target().identity().taskArn();
                String task = arn.isEmpty() ? p.container().metrics().containerId() : arn;
                networkOfTask.merge(task, new double[] {rx, tx},
                        (a, b) -> a[0] + a[1] >= b[0] + b[1] ? a : b);
            }
        }
        for (double[] n : networkOfTask.values()) {
            sum(out, "container_network.rx", n[0]);
            sum(out, "container_network.tx", n[1]);
        }
        return out;
    }

    private static Double perSecond(Double perMinute) {
        return perMinute == null ? null : perMinute / 60;
    }

    private static void sum(Map<String, Double> out, String path, Double v) {
        if (v != null) {
            out.merge(path, v, Double::sum);
        }
    }
}
