package io.gostats.relay.sink.mackerel;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * For a native build: the records Jackson reads or writes by reflection in this package. The Mackerel calls answer
 * raw {@code Response}s read with {@code readEntity(X.class)}, and the queue and the key slots use their own
 * ObjectMapper, so Quarkus cannot find these types from the REST interface alone.
 */
@RegisterForReflection(targets = {
        Batch.class, MetricValue.class, Host.class, HostRegistration.class, GraphDefinition.class,
        GraphDefinition.Metric.class, Dashboard.class, MackerelApi.HostIdAnswer.class, MackerelApi.HostAnswer.class,
        MackerelApi.DashboardsAnswer.class, KeySlots.StateFile.class, KeySlots.Entry.class })
final class JsonTypes {

    private JsonTypes() {
    }
}
