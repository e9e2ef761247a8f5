package io.gostats.relay.sink.mackerel.graphs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.gostats.relay.sink.mackerel.api.Dashboard;
import io.gostats.relay.sink.mackerel.api.GraphDefinition;
import io.gostats.relay.sink.mackerel.api.MackerelClient;
import io.gostats.relay.sink.mackerel.api.PostOutcome;

/**
 * One Mackerel dashboard for a role: an expression graph of every task of the role for each gostats metric
 * ({@code role('Service:role', 'custom.gostats.*.memory.memory_sys')}) and the role graphs of the host sums.
 * Idempotent: found by its URL path and updated in place.
 */
public final class GostatsDashboard {

    private static final Logger LOG = Logger.getLogger(GostatsDashboard.class);
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final int WIDTH = 8;
    private static final int HEIGHT = 6;
    private static final int PER_ROW = 24 / WIDTH;

    private GostatsDashboard() {
    }

    /** {@code Service:role}, each part as Mackerel names them. */
    public static void checkRole(String role) {
        if (!role.matches("[A-Za-z0-9][-A-Za-z0-9_]{1,62}:[A-Za-z0-9][-A-Za-z0-9_]{1,62}")) {
            throw new IllegalArgumentException("'" + role + "' is not Service:role");
        }
    }

    public static Dashboard of(String role, String prefix) {
        List<JsonNode> widgets = new ArrayList<>();
        for (GostatsMetric m : GostatsMetric.values()) {
            String metric = "custom." + prefix + ".*." + m.path();
            ObjectNode graph = JSON.objectNode().put("type", "expression")
                    .put("expression", "role('" + role + "', '" + metric + "')");
            widgets.add(widget(widgets.size(), m.graph.word + " " + m.label + " per task", graph));
        }
        for (GraphDefinition g : GraphSets.gostatsHostSums(prefix)) {
            ObjectNode graph = JSON.objectNode().put("type", "role").put("roleFullname", role).put("name", g.name());
            widgets.add(widget(widgets.size(), g.displayName(), graph));
        }
        return new Dashboard(null, "gostats: " + role, "Made by gostats-relay; changes are overwritten.",
                urlPath(role), List.copyOf(widgets));
    }

    /**
     * {@code gostats-relay/<service>/<role>}: one segment each, so two roles never share a path (with a {@code -}
     * between them, {@code a-b:c} and {@code a:b-c} did). Service and role names never hold a {@code /} and never
     * start with {@code -} or {@code _}, so both are valid urlPath segments as they are.
     */
    static String urlPath(String role) {
        return "gostats-relay/" + role.replace(':', '/');
    }

    /** The path earlier relays used, {@code gostats-relay/<service>-<role>}, which could collide. */
    static String legacyUrlPath(Dashboard wanted) {
        int last = wanted.urlPath().lastIndexOf('/');
        return wanted.urlPath().substring(0, last) + "-" + wanted.urlPath().substring(last + 1);
    }

    private static ObjectNode widget(int index, String title, ObjectNode graph) {
        ObjectNode layout = JSON.objectNode().put("x", index % PER_ROW * WIDTH).put("y", index / PER_ROW * HEIGHT)
                .put("width", WIDTH).put("height", HEIGHT);
        ObjectNode w = JSON.objectNode().put("type", "graph").put("title", title);
        w.set("graph", graph);
        w.set("layout", layout);
        return w;
    }

    /** Creates the dashboard, or updates the one with the same URL path. The id, or empty when Mackerel refused. */
    public static Optional<String> apply(MackerelClient client, Dashboard wanted, Duration timeout) {
        PostOutcome<List<Dashboard>> listed = client.listDashboards().await().atMost(timeout);
        if (!(listed instanceof PostOutcome.Ok<List<Dashboard>> ok)) {
            LOG.warnf("cannot list Mackerel dashboards: %s%s", listed, limitHint(listed));
            return Optional.empty();
        }
        Optional<Dashboard> existing = ok.value().stream().filter(d -> wanted.urlPath().equals(d.urlPath()))
                .findFirst();
        if (existing.isEmpty()) {
            // one an earlier relay made at the old, ambiguous path: its title names the role, so it moves in place
            existing = ok.value().stream().filter(d -> legacyUrlPath(wanted).equals(d.urlPath())
                    && wanted.title().equals(d.title())).findFirst();
        }
        PostOutcome<Dashboard> done = existing.isPresent()
                ? client.updateDashboard(existing.get().id(), wanted).await().atMost(timeout)
                : client.createDashboard(wanted).await().atMost(timeout);
        if (done instanceof PostOutcome.Ok<Dashboard> d) {
            LOG.infof("Mackerel dashboard %s %s (%s)", wanted.urlPath(), existing.isPresent() ? "updated" : "created",
                    d.value().id());
            return Optional.ofNullable(d.value().id());
        }
        LOG.warnf("cannot write the Mackerel dashboard %s: %s%s", wanted.urlPath(), done, limitHint(done));
        return Optional.empty();
    }

    /** The dashboards API also answers 403 when the organization has as many dashboards as its plan allows. */
    private static String limitHint(PostOutcome<?> o) {
        return o instanceof PostOutcome.Unauthorized<?> u && u.status() == 403
                ? " (from the dashboards API a 403 can also mean the organization's dashboard limit is reached)" : "";
    }
}
