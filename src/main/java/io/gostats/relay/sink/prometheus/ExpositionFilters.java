package io.gostats.relay.sink.prometheus;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;

/**
 * Keeps /q/metrics clean for {@code promtool check metrics}: drops the library meters that have no help text or
 * break Prometheus naming (Netty's allocator gauges, {@code process.cpu.time} in ns, {@code system.cpu.count},
 * the HTTP long-task timer whose samples do not form a summary) and describes the one that only lacks a help text.
 */
@Singleton
public class ExpositionFilters {

    @Produces
    @Singleton
    MeterFilter dropUnlintedMeters() {
        return MeterFilter.deny(id -> id.getName().startsWith("netty.")
                || id.getName().equals("process.cpu.time")
                || id.getName().equals("system.cpu.count")
                || id.getName().equals("http.server.connections"));
    }

    @Produces
    @Singleton
    MeterFilter describeActiveRequests() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                if (id.getName().equals("http.server.active.requests") && id.getDescription() == null) {
                    return new Meter.Id(id.getName(), io.micrometer.core.instrument.Tags.of(id.getTags()),
                            id.getBaseUnit(), "HTTP requests the relay is serving now.", id.getType());
                }
                return id;
            }
        };
    }
}
