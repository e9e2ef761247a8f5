package io.gostats.relay.sink.mackerel.api;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The input rules {@link FakeMackerel} enforces, as docs/reference mackerel-api.md states them (sections 2, 4, 5,
 * 7). Each check throws {@link ApiError} (400 unless said otherwise) with a message naming the offending value.
 */
final class MackerelRules {

    static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z0-9._-]+");
    static final Pattern GRAPH_NAME = Pattern.compile("^custom(\\.([-a-zA-Z0-9_]+|[*#]))+$");
    static final Pattern SEGMENT = Pattern.compile("[-a-zA-Z0-9_]+|[*#]");
    static final Pattern URL_PATH = Pattern.compile("^([A-Za-z0-9_][-A-Za-z0-9_]*)(/[A-Za-z0-9_][-A-Za-z0-9_]*)*$");
    static final Pattern ROLE_PART = Pattern.compile("[A-Za-z0-9][-A-Za-z0-9_]{1,62}");
    static final Set<String> UNITS = Set.of("float", "integer", "percentage", "seconds", "milliseconds", "bytes",
            "bytes/sec", "bits/sec", "iops");
    static final int GRID_WIDTH = 24;

    /** An error answer: the status and the message of {@code {"error":{"message":...}}}. */
    static final class ApiError extends RuntimeException {
        final int status;

        ApiError(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    private MackerelRules() {
    }

    static ApiError bad(String message) {
        return new ApiError(400, message);
    }

    /** A host custom metric name. */
    static void metricName(String name) {
        if (!METRIC_NAME.matcher(name).matches() || name.contains("..")) {
            throw bad("invalid metric name: " + name);
        }
        if (!name.startsWith("custom.") || name.length() == "custom.".length()) {
            throw bad("host custom metric name must start with custom.: " + name);
        }
    }

    static void graphDefinition(JsonNode def) {
        object(def, "graph definition");
        onlyKeys(def, Set.of("name", "displayName", "unit", "metrics"));
        String name = text(def, "name", true);
        if (!GRAPH_NAME.matcher(name).matches() || count(name, '#') > 1) {
            throw bad("invalid graph name: " + name);
        }
        text(def, "displayName", false);
        String unit = text(def, "unit", false);
        if (unit != null && !UNITS.contains(unit)) {
            throw bad("invalid unit " + unit + " of graph " + name);
        }
        JsonNode metrics = def.get("metrics");
        if (metrics == null || !metrics.isArray() || metrics.isEmpty()) {
            throw bad("graph " + name + " has no metrics");
        }
        for (JsonNode m : metrics) {
            object(m, "metric of graph " + name);
            onlyKeys(m, Set.of("name", "displayName", "isStacked"));
            String metric = text(m, "name", true);
            // a metric is the graph's name plus one segment, so any wildcard of the graph name is in it too
            if (!metric.startsWith(name + ".") || !SEGMENT.matcher(metric.substring(name.length() + 1)).matches()
                    || count(metric, '#') > 1) {
                throw bad("metric " + metric + " is not " + name + " plus one segment");
            }
            text(m, "displayName", false);
            if (m.has("isStacked") && !m.get("isStacked").isBoolean()) {
                throw bad("isStacked of " + metric + " is not a boolean");
            }
        }
    }

    /** Role full names {@code Service:role}. */
    static List<String> roleFullnames(JsonNode roles) {
        List<String> out = new ArrayList<>();
        if (roles == null) {
            return out;
        }
        if (!roles.isArray()) {
            throw bad("roleFullnames is not an array");
        }
        for (JsonNode r : roles) {
            String[] parts = r.isTextual() ? r.asText().split(":", -1) : new String[0];
            if (parts.length != 2 || !ROLE_PART.matcher(parts[0]).matches()
                    || !ROLE_PART.matcher(parts[1]).matches()) {
                throw bad("invalid role full name: " + r);
            }
            out.add(r.asText());
        }
        return out;
    }

    static void dashboard(JsonNode d) {
        object(d, "dashboard");
        onlyKeys(d, Set.of("id", "title", "memo", "urlPath", "widgets", "createdAt", "updatedAt"));
        text(d, "title", true);
        text(d, "memo", false);
        String urlPath = text(d, "urlPath", true);
        if (!URL_PATH.matcher(urlPath).matches()) {
            throw bad("invalid urlPath: " + urlPath);
        }
        JsonNode widgets = d.get("widgets");
        if (widgets == null || !widgets.isArray()) {
            throw bad("widgets is not an array");
        }
        List<int[]> placed = new ArrayList<>();
        for (JsonNode w : widgets) {
            placed.add(widget(w, placed));
        }
    }

    private static int[] widget(JsonNode w, List<int[]> placed) {
        object(w, "widget");
        String type = text(w, "type", true);
        JsonNode l = w.get("layout");
        if (l == null || !l.isObject()) {
            throw bad("widget without layout");
        }
        int[] r = new int[4];
        String[] keys = { "x", "y", "width", "height" };
        for (int i = 0; i < 4; i++) {
            if (!l.path(keys[i]).isInt() || l.get(keys[i]).asInt() < (i < 2 ? 0 : 1)) {
                throw bad("invalid layout." + keys[i]);
            }
            r[i] = l.get(keys[i]).asInt();
        }
        if (r[0] + r[2] > GRID_WIDTH) {
            throw bad("widget wider than the grid of " + GRID_WIDTH);
        }
        if (type.equals("graph")) {
            if (r[2] < 6 || r[3] < 6 || r[2] > 24 || r[3] > 32) {
                throw bad("graph widget must be 6x6 to 24x32, is " + r[2] + "x" + r[3]);
            }
            String graph = text(w.path("graph"), "type", true);
            if (!Set.of("host", "role", "service", "expression").contains(graph)) {
                throw bad("invalid graph type " + graph);
            }
        }
        for (int[] o : placed) {
            if (r[0] < o[0] + o[2] && o[0] < r[0] + r[2] && r[1] < o[1] + o[3] && o[1] < r[1] + r[3]) {
                throw bad("widgets overlap");
            }
        }
        return r;
    }

    static void object(JsonNode node, String what) {
        if (node == null || !node.isObject()) {
            throw bad(what + " is not a JSON object");
        }
    }

    static void onlyKeys(JsonNode node, Set<String> allowed) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            String k = it.next();
            if (!allowed.contains(k)) {
                throw bad("unknown field: " + k);
            }
        }
    }

    /** A required integer field of Unix seconds. */
    static long epochSeconds(JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
            throw bad(key + " must be an integer (Unix seconds)");
        }
        return v.asLong();
    }

    /** The string field {@code key}, or null when it is absent and optional. */
    static String text(JsonNode node, String key, boolean required) {
        JsonNode v = node.get(key);
        if (v == null && !required) {
            return null;
        }
        if (v == null || !v.isTextual() || (required && v.asText().isEmpty())) {
            throw bad(key + " must be a " + (required ? "non-empty " : "") + "string");
        }
        return v.asText();
    }

    private static long count(String s, char c) {
        return s.chars().filter(x -> x == c).count();
    }
}
