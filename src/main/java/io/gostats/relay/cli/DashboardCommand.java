package io.gostats.relay.cli;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.gostats.relay.sink.mackerel.MackerelConfig;
import io.gostats.relay.sink.mackerel.api.MackerelClient;
import io.gostats.relay.sink.mackerel.graphs.GostatsDashboard;

/** {@code dashboard Service:role}: the role's gostats dashboard, created or updated in place; exit 0 when done. */
@ApplicationScoped
public class DashboardCommand {

    private final MackerelConfig config;

    public DashboardCommand(MackerelConfig config) {
        this.config = config;
    }

    public int run(String... args) {
        if (args.length != 1) {
            System.err.println("usage: dashboard Service:role");
            return 2;
        }
        try {
            GostatsDashboard.checkRole(args[0]);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        Optional<String> key = config.apiKey().map(String::strip).filter(k -> !k.isEmpty());
        if (key.isEmpty()) {
            System.err.println("no relay.mackerel.api-key (or MACKEREL_APIKEY) is given");
            return 2;
        }
        try (MackerelClient client = new MackerelClient(URI.create(config.apiBase()), key.get(),
                Duration.ofSeconds(30))) {
            Optional<String> id = GostatsDashboard.apply(client,
                    GostatsDashboard.of(args[0], config.prefix()), Duration.ofSeconds(40));
            System.out.println(id.map(i -> "dashboard " + i + " is up to date").orElse("the dashboard was not written"));
            return id.isPresent() ? 0 : 1;
        }
    }
}
