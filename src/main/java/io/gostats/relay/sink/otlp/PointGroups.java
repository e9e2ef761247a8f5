package io.gostats.relay.sink.otlp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.gostats.relay.model.OtlpName;
import io.gostats.relay.model.OtlpName.Instrument;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.Data;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.GaugeData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.metrics.data.SumData;
import io.opentelemetry.sdk.resources.Resource;

/**
 * One task's points, grouped into one metric per name (figures sharing a name, such as the two CPU modes, are two
 * points of one metric), in the order first added. Sums are cumulative; a gauge's point has no start time.
 */
final class PointGroups {

    static final InstrumentationScopeInfo SCOPE = InstrumentationScopeInfo.builder("io.gostats.relay").build();

    private record Group(OtlpName name, boolean isLong, List<PointData> points) {
    }

    private final Map<String, Group> groups = new LinkedHashMap<>();
    private final long time;
    private int points;

    PointGroups(long timeNanos) {
        this.time = timeNanos;
    }

    void add(OtlpName n, long startNanos, double value) {
        long start = n.instrument() == Instrument.GAUGE ? 0 : startNanos;
        group(n, false).points().add(DoublePointData.create(start, time, attributes(n), value, List.of()));
    }

    void addLong(OtlpName n, long startNanos, long value, Attributes attributes) {
        long start = n.instrument() == Instrument.GAUGE ? 0 : startNanos;
        group(n, true).points().add(LongPointData.create(start, time, attributes, value));
    }

    int points() {
        return points;
    }

    private Group group(OtlpName n, boolean isLong) {
        points++;
        return groups.computeIfAbsent(n.name(), k -> new Group(n, isLong, new ArrayList<>()));
    }

    private static Attributes attributes(OtlpName n) {
        return n.attributeKey() == null ? Attributes.empty() : Attributes.of(
                io.opentelemetry.api.common.AttributeKey.stringKey(n.attributeKey()), n.attributeValue());
    }

    List<MetricData> metrics(Resource resource) {
        List<MetricData> out = new ArrayList<>(groups.size());
        for (Group g : groups.values()) {
            out.add(new OtlpMetric(resource, SCOPE, g.name().name(), g.name().unit(), type(g), data(g)));
        }
        return out;
    }

    private static MetricDataType type(Group g) {
        boolean gauge = g.name().instrument() == Instrument.GAUGE;
        if (g.isLong()) {
            return gauge ? MetricDataType.LONG_GAUGE : MetricDataType.LONG_SUM;
        }
        return gauge ? MetricDataType.DOUBLE_GAUGE : MetricDataType.DOUBLE_SUM;
    }

    @SuppressWarnings("unchecked")
    private static Data<?> data(Group g) {
        boolean monotonic = g.name().instrument() == Instrument.COUNTER;
        AggregationTemporality cumulative = AggregationTemporality.CUMULATIVE;
        if (g.isLong()) {
            List<LongPointData> p = (List<LongPointData>) (List<?>) g.points();
            return g.name().instrument() == Instrument.GAUGE ? GaugeData.createLongGaugeData(p)
                    : SumData.createLongSumData(monotonic, cumulative, p);
        }
        List<DoublePointData> p = (List<DoublePointData>) (List<?>) g.points();
        return g.name().instrument() == Instrument.GAUGE ? GaugeData.createDoubleGaugeData(p)
                : SumData.createDoubleSumData(monotonic, cumulative, p);
    }
}
