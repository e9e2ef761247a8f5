package io.gostats.relay.sink.otlp;

import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.Data;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.resources.Resource;

/**
 * One metric of one task, built from the snapshot and handed straight to the exporter: the SDK has no public
 * {@code MetricData} factory (its {@code ImmutableMetricData} is internal), and its marshalers read this interface.
 */
record OtlpMetric(Resource resource, InstrumentationScopeInfo scope, String name, String unit, MetricDataType type,
        Data<?> data) implements MetricData {

    @Override
    public Resource getResource() {
        return resource;
    }

    @Override
    public InstrumentationScopeInfo getInstrumentationScopeInfo() {
        return scope;
    }

    @Override
    public String getName() {
        return name;
    }

    /** Empty: a description costs bytes in every request; README's mapping table has them. */
    @Override
    public String getDescription() {
        return "";
    }

    @Override
    public String getUnit() {
        return unit;
    }

    @Override
    public MetricDataType getType() {
        return type;
    }

    @Override
    public Data<?> getData() {
        return data;
    }
}
