package io.gostats.relay.sink.mackerel;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.gostats.relay.config.ConfigProperty;
import io.gostats.relay.sink.mackerel.graphs.GostatsDashboard;
import io.gostats.relay.sink.mackerel.graphs.GraphGroup;
import io.gostats.relay.sink.mackerel.keys.KeyTemplate;

/**
 * The Mackerel sink's configuration checks: a bad value stops start-up with an error that names the property and
 * never shows the API key. The properties that need no key are checked even when the sink is off.
 */
final class MackerelChecks {

    private MackerelChecks() {
    }

    /**
     * The API key when the sink is on, empty when it is off. {@code imds}: whether the EC2 instance id is looked up
     * ({@code relay.instance.imds.enabled}), the customIdentifier of a host of the relay's own when none is set.
     */
    static Optional<String> check(MackerelConfig m, boolean imds) {
        Optional<String> apiKey = apiKey(m);
        ConfigProperty.positive("relay.mackerel.graph-defs-every", m.graphDefsEvery());
        ConfigProperty.atLeast("relay.mackerel.queue-capacity", m.queueCapacity(), 1);
        ConfigProperty.atLeast("relay.mackerel.max-request-size", m.maxRequestSize().asLongValue(), 1024);
        ConfigProperty.atLeast("relay.mackerel.max-tasks", m.maxTasks(), 0);
        graphGroups(m);
        ConfigProperty.atLeast("relay.mackerel.host-metric-allowance", m.hostMetricAllowance(), 1);
        ConfigProperty.atLeast("relay.mackerel.host-metric-reserve", m.hostMetricReserve(), 0);
        if (m.hostMetricReserve() >= m.hostMetricAllowance()) {
            throw new IllegalArgumentException("relay.mackerel.host-metric-reserve: must be below "
                    + "relay.mackerel.host-metric-allowance (" + m.hostMetricAllowance() + "), was "
                    + m.hostMetricReserve());
        }
        if (m.annotations().maxWait().isNegative()) {
            throw new IllegalArgumentException("relay.mackerel.annotations.max-wait: must not be negative, was "
                    + m.annotations().maxWait());
        }
        annotationsService(m).ifPresent(s -> serviceOrRole("relay.mackerel.annotations.service", s));
        m.annotations().roles().orElse(List.of())
                .forEach(r -> serviceOrRole("relay.mackerel.annotations.roles", r.strip()));
        if (m.minRequestInterval().isNegative()) {
            throw new IllegalArgumentException("relay.mackerel.min-request-interval: must not be negative, was "
                    + m.minRequestInterval());
        }
        if (!m.prefix().matches("[-a-zA-Z0-9_]+")) {
            throw new IllegalArgumentException("relay.mackerel.prefix: '" + m.prefix() + "' is not [-a-zA-Z0-9_]+");
        }
        m.key().filter(k -> !k.isBlank())
                .ifPresent(k -> ConfigProperty.parse("relay.mackerel.key", () -> KeyTemplate.parse(k.strip())));
        if (!m.enabled().orElse(apiKey.isPresent())) {
            return Optional.empty();
        }
        if (apiKey.isEmpty()) {
            throw new IllegalArgumentException("relay.mackerel.enabled: true, but no relay.mackerel.api-key "
                    + "(or MACKEREL_APIKEY) is given");
        }
        apiBase(m);
        if (m.registerHost() && customIdentifier(m).isEmpty() && !imds) {
            throw new IllegalArgumentException("relay.mackerel.custom-identifier: needed with "
                    + "relay.mackerel.register-host=true when relay.instance.imds.enabled=false (on EC2, leave both"
                    + " unset: the relay's host is then <instance-id>.ec2.amazonaws.com, as mackerel-agent's)");
        }
        dashboardRole(m).ifPresent(role -> ConfigProperty.parse("relay.mackerel.dashboard.role", () -> {
            GostatsDashboard.checkRole(role);
            return role;
        }));
        return apiKey;
    }

    static Set<GraphGroup> graphGroups(MackerelConfig m) {
        return ConfigProperty.parse("relay.mackerel.graphs", () -> GraphGroup.parse(m.graphs()));
    }

    static Optional<String> annotationsService(MackerelConfig m) {
        return m.annotations().service().map(String::strip).filter(s -> !s.isEmpty());
    }

    /** Mackerel's rule for service and role names: [A-Za-z0-9_-], 2-63 characters, not starting with - or _. */
    private static void serviceOrRole(String property, String name) {
        if (!name.matches("[A-Za-z0-9][-A-Za-z0-9_]{1,62}")) {
            throw new IllegalArgumentException(property + ": '" + name + "' is not a Mackerel service or role name "
                    + "([A-Za-z0-9_-], 2-63 characters, not starting with - or _)");
        }
    }

    static Optional<String> apiKey(MackerelConfig m) {
        return m.apiKey().map(String::strip).filter(k -> !k.isEmpty());
    }

    static URI apiBase(MackerelConfig m) {
        URI base = ConfigProperty.parse("relay.mackerel.api-base", () -> URI.create(m.apiBase()));
        if (base.getScheme() == null || !base.getScheme().startsWith("http")) {
            throw new IllegalArgumentException("relay.mackerel.api-base: '" + m.apiBase() + "' is not an http(s) URL");
        }
        return base;
    }

    static Optional<String> customIdentifier(MackerelConfig m) {
        return m.customIdentifier().filter(c -> !c.isBlank());
    }

    static Optional<String> dashboardRole(MackerelConfig m) {
        return m.dashboard().role().filter(r -> !r.isBlank());
    }
}
