package io.gostats.relay.sink.mackerel.api;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * For a native build: the records Jackson reads or writes by reflection in this package. The Mackerel calls answer
 * raw {@code Response}s read with {@code readEntity(X.class)}, so Quarkus cannot find these types from the REST
 * interface alone. The records other parts keep on disk (queue, key slots) say so themselves.
 */
@RegisterForReflection(targets = {
        MetricValue.class, Host.class, HostRegistration.class, GraphDefinition.class, GraphDefinition.Metric.class,
        Dashboard.class, MackerelApi.HostIdAnswer.class, MackerelApi.HostAnswer.class, MackerelApi.HostsAnswer.class,
        MackerelApi.DashboardsAnswer.class, GraphAnnotation.class, MackerelApi.GraphAnnotationsAnswer.class })
final class JsonTypes {

    private JsonTypes() {
    }
}
