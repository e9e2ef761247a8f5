package io.gostats.relay.sink.mackerel.api;

import static io.gostats.relay.sink.mackerel.api.FakeMackerel.JSON;
import static io.gostats.relay.sink.mackerel.api.MackerelRules.bad;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.gostats.relay.sink.mackerel.api.FakeMackerel.FakeHost;
import io.gostats.relay.sink.mackerel.api.FakeMackerel.PointKey;
import io.gostats.relay.sink.mackerel.api.MackerelRules.ApiError;

/** What {@link FakeMackerel} keeps, and its answer to each call once the request has passed the HTTP checks. */
final class FakeMackerelStore {

    private final Supplier<Instant> clock;

    // all guarded by this
    private final Map<PointKey, Double> points = new LinkedHashMap<>();
    private final Map<String, JsonNode> graphDefs = new LinkedHashMap<>();
    private final Map<String, FakeHost> hosts = new LinkedHashMap<>();
    private final Map<String, ObjectNode> dashboards = new LinkedHashMap<>();
    /** Services made other than by a host's roles: name → role names. */
    private final Map<String, Set<String>> services = new LinkedHashMap<>();
    private final List<ObjectNode> annotations = new ArrayList<>();
    private int oldPointsDropped;
    // where Mackerel's documentation is silent, each answer a test can choose
    private boolean notFoundAsNullHost;
    private int tsdbUnknownHostStatus = 400;

    FakeMackerelStore(Supplier<Instant> clock) {
        this.clock = clock;
    }

    synchronized Map<PointKey, Double> points() {
        return Map.copyOf(points);
    }

    synchronized int oldPointsDropped() {
        return oldPointsDropped;
    }

    synchronized Map<String, GraphDefinition> graphDefs() {
        Map<String, GraphDefinition> out = new LinkedHashMap<>();
        graphDefs.forEach((name, def) -> out.put(name, JSON.convertValue(def, GraphDefinition.class)));
        return out;
    }

    /**
     * What an unknown host or customIdentifier gets from {@code GET hosts/<id>} and
     * {@code GET hosts-by-custom-identifier/<id>}: 404 (false) or {@code 200 {"host": null}} (true), both seen in
     * clients of the real API.
     */
    synchronized void notFoundAsNullHost(boolean nullHost) {
        this.notFoundAsNullHost = nullHost;
    }

    /** What {@code POST tsdb} answers when a value names an unknown or retired host (undocumented): 400 or 404. */
    synchronized void tsdbUnknownHostStatus(int status) {
        this.tsdbUnknownHostStatus = status;
    }

    /** A host retired from outside the relay (mackerel-agent's AUTO_RETIREMENT, a user in the web UI). */
    synchronized void retire(String id) {
        hosts.put(id, liveOrRetired(id).retire());
    }

    synchronized Map<String, FakeHost> hosts() {
        return Map.copyOf(hosts);
    }

    synchronized List<JsonNode> dashboards() {
        return dashboards.values().stream().map(d -> (JsonNode) d.deepCopy()).toList();
    }

    /** A service with these roles, as made in the web UI or by {@code POST /api/v0/services}. */
    synchronized void addService(String name, String... roles) {
        services.computeIfAbsent(name, n -> new java.util.TreeSet<>()).addAll(List.of(roles));
    }

    synchronized List<GraphAnnotation> graphAnnotations() {
        return annotations.stream().map(a -> JSON.convertValue(a, GraphAnnotation.class)).toList();
    }

    synchronized String addHost(String name, String customIdentifier, Map<String, Object> meta,
            String... roleFullnames) {
        String id = newId();
        hosts.put(id, new FakeHost(id, name, customIdentifier, List.of(roleFullnames), false, Map.copyOf(meta)));
        return id;
    }

    synchronized JsonNode route(String method, List<String> p, Map<String, List<String>> query, JsonNode in) {
        String head = p.get(0);
        int n = p.size();
        switch (method + " " + head + " " + n) {
            case "POST tsdb 1":
                return tsdb(in);
            case "POST graph-defs 2":
                if (p.get(1).equals("create")) {
                    return graphDefs(in);
                }
                break;
            case "POST hosts 1":
                return register(in);
            case "GET hosts 1":
                return hostsList(query);
            case "GET hosts 2":
                return hosts.containsKey(p.get(1)) ? hostAnswer(hosts.get(p.get(1))) : notFound("host", p.get(1));
            case "POST hosts 3":
                if (p.get(2).equals("retire")) {
                    return retire(p.get(1), in);
                }
                break;
            case "PUT hosts 3":
                if (p.get(2).equals("role-fullnames")) {
                    return putRoles(p.get(1), in);
                }
                break;
            case "GET hosts-by-custom-identifier 2":
                return hosts.values().stream().filter(h -> !h.retired() && p.get(1).equals(h.customIdentifier()))
                        .findFirst().map(FakeMackerelStore::hostAnswer).orElseGet(() -> notFound("host", p.get(1)));
            case "POST graph-annotations 1":
                return createAnnotation(in);
            case "GET graph-annotations 1":
                return findAnnotations(query);
            case "GET dashboards 1":
                return JSON.createObjectNode().set("dashboards", JSON.valueToTree(dashboards()));
            case "POST dashboards 1":
                return saveDashboard(newId(), in);
            case "GET dashboards 2":
                return dashboard(p.get(1)).deepCopy();
            case "PUT dashboards 2":
                dashboard(p.get(1));
                return saveDashboard(p.get(1), in);
            default:
                break;
        }
        throw new ApiError(404, "not found: " + method + " /api/v0/" + String.join("/", p));
    }

    private JsonNode tsdb(JsonNode in) {
        if (!in.isArray()) {
            throw bad("body must be a JSON array");
        }
        Map<PointKey, Double> accepted = new LinkedHashMap<>();
        for (JsonNode v : in) {
            MackerelRules.object(v, "metric value");
            MackerelRules.onlyKeys(v, Set.of("hostId", "name", "time", "value"));
            String hostId = MackerelRules.text(v, "hostId", true);
            FakeHost host = hosts.get(hostId);
            if (host == null || host.retired()) {
                throw new ApiError(tsdbUnknownHostStatus, "unknown host: " + hostId);
            }
            String name = MackerelRules.text(v, "name", true);
            MackerelRules.metricName(name);
            JsonNode time = v.get("time");
            if (time == null || !time.isIntegralNumber() || !time.canConvertToLong()) {
                throw bad("time of " + name + " must be an integer (Unix seconds)");
            }
            JsonNode value = v.get("value");
            if (value == null || !value.isNumber()) {
                throw bad("value of " + name + " must be a number");
            }
            accepted.put(new PointKey(hostId, name, time.asLong()), value.asDouble());
        }
        long oldest = clock.get().getEpochSecond() - FakeMackerel.WINDOW.toSeconds();
        accepted.forEach((k, v) -> {
            if (k.time() < oldest) {
                oldPointsDropped++;
            } else {
                points.put(k, v);
            }
        });
        return success();
    }

    private JsonNode graphDefs(JsonNode in) {
        if (!in.isArray()) {
            throw bad("body must be a JSON array");
        }
        in.forEach(MackerelRules::graphDefinition);
        in.forEach(def -> graphDefs.put(def.get("name").asText(), def));
        return success();
    }

    private JsonNode register(JsonNode in) {
        MackerelRules.object(in, "host");
        MackerelRules.onlyKeys(in, Set.of("name", "displayName", "customIdentifier", "meta", "memo", "interfaces",
                "roleFullnames", "checks"));
        String name = MackerelRules.text(in, "name", true);
        MackerelRules.text(in, "displayName", false);
        MackerelRules.text(in, "memo", false);
        String customIdentifier = MackerelRules.text(in, "customIdentifier", false);
        MackerelRules.object(in.get("meta"), "meta");
        List<String> roles = MackerelRules.roleFullnames(in.get("roleFullnames"));
        if (customIdentifier != null && hosts.values().stream()
                .anyMatch(h -> !h.retired() && customIdentifier.equals(h.customIdentifier()))) {
            throw bad("customIdentifier already in use: " + customIdentifier);
        }
        String id = newId();
        @SuppressWarnings("unchecked")
        Map<String, Object> meta = in.has("meta") ? JSON.convertValue(in.get("meta"), Map.class) : Map.of();
        hosts.put(id, new FakeHost(id, name, customIdentifier, List.copyOf(roles), false, meta));
        return JSON.createObjectNode().put("id", id);
    }

    /**
     * {@code GET hosts?customIdentifier=&status=...}: the hosts of that identifier in those statuses (default
     * working and standby; the fake's hosts are all working), as {@code {"hosts": [...]}}.
     */
    private JsonNode hostsList(Map<String, List<String>> query) {
        List<String> statuses = query.getOrDefault("status", List.of("working", "standby"));
        String identifier = query.getOrDefault("customIdentifier", List.of()).stream().findFirst().orElse(null);
        ArrayNode list = JSON.createArrayNode();
        hosts.values().stream().filter(h -> !h.retired() && statuses.contains("working"))
                .filter(h -> identifier == null || identifier.equals(h.customIdentifier()))
                .forEach(h -> list.add(hostAnswer(h).get("host")));
        return JSON.createObjectNode().set("hosts", list);
    }

    /** The services and their roles: those made directly, and those a host's roles made (as registration does). */
    private Map<String, Set<String>> services() {
        Map<String, Set<String>> all = new LinkedHashMap<>();
        services.forEach((name, roles) -> all.put(name, new java.util.TreeSet<>(roles)));
        for (FakeHost h : hosts.values()) {
            for (String full : h.roleFullnames()) {
                String[] sr = full.split(":", 2);
                all.computeIfAbsent(sr[0], n -> new java.util.TreeSet<>()).add(sr[1]);
            }
        }
        return all;
    }

    /**
     * {@code POST graph-annotations}, with the documented errors: 400 for a title over 250 characters, a description
     * over 1024, {@code from} after {@code to} or a malformed body; 404 for a service or role that does not exist.
     */
    private JsonNode createAnnotation(JsonNode in) {
        MackerelRules.object(in, "graph annotation");
        MackerelRules.onlyKeys(in, Set.of("title", "description", "from", "to", "service", "roles"));
        String title = MackerelRules.text(in, "title", true);
        String description = MackerelRules.text(in, "description", false);
        if (title.length() > GraphAnnotation.MAX_TITLE) {
            throw bad("title exceeds " + GraphAnnotation.MAX_TITLE + " characters");
        }
        if (description != null && description.length() > GraphAnnotation.MAX_DESCRIPTION) {
            throw bad("description exceeds " + GraphAnnotation.MAX_DESCRIPTION + " characters");
        }
        long from = MackerelRules.epochSeconds(in, "from");
        long to = MackerelRules.epochSeconds(in, "to");
        if (from > to) {
            throw bad("from " + from + " is after to " + to);
        }
        String service = MackerelRules.text(in, "service", true);
        Set<String> roles = services().get(service);
        if (roles == null) {
            throw new ApiError(404, "service not found: " + service);
        }
        JsonNode asked = in.get("roles");
        if (asked != null) {
            if (!asked.isArray()) {
                throw bad("roles is not an array");
            }
            for (JsonNode r : asked) {
                if (!r.isTextual() || !roles.contains(r.asText())) {
                    throw new ApiError(404, "role not found: " + service + ":" + r);
                }
            }
        }
        ObjectNode saved = ((ObjectNode) in.deepCopy()).put("id", newId());
        annotations.add(saved);
        return saved.deepCopy();
    }

    /**
     * {@code GET graph-annotations?service=&from=&to=}: every annotation of the service whose interval meets the one
     * asked (as documented). Undocumented, chosen here: a missing or non-integer parameter is a 400, an unknown
     * service a 404 (as the POST answers).
     */
    private JsonNode findAnnotations(Map<String, List<String>> query) {
        String service = single(query, "service");
        long from;
        long to;
        try {
            from = Long.parseLong(single(query, "from"));
            to = Long.parseLong(single(query, "to"));
        } catch (NumberFormatException e) {
            throw bad("from and to must be Unix seconds");
        }
        if (!services().containsKey(service)) {
            throw new ApiError(404, "service not found: " + service);
        }
        ArrayNode list = JSON.createArrayNode();
        annotations.stream().filter(a -> a.get("service").asText().equals(service))
                .filter(a -> a.get("from").asLong() <= to && from <= a.get("to").asLong())
                .forEach(a -> list.add(a.deepCopy()));
        return JSON.createObjectNode().set("graphAnnotations", list);
    }

    private static String single(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        if (values == null || values.size() != 1 || values.get(0).isEmpty()) {
            throw bad("query parameter " + name + " is required, once");
        }
        return values.get(0);
    }

    private JsonNode notFound(String what, String id) {
        if (notFoundAsNullHost) {
            return JSON.createObjectNode().putNull("host");
        }
        throw new ApiError(404, what + " not found: " + id);
    }

    private FakeHost liveOrRetired(String id) {
        FakeHost h = hosts.get(id);
        if (h == null) {
            throw new ApiError(404, "host not found: " + id);
        }
        return h;
    }

    private JsonNode retire(String id, JsonNode in) {
        MackerelRules.object(in, "retire body");
        FakeHost h = liveOrRetired(id);
        if (h.retired()) {
            throw new ApiError(404, "host not found: " + id);
        }
        hosts.put(id, h.retire());
        return success();
    }

    /**
     * {@code PUT hosts/<id>/role-fullnames} with {@code {"roleFullnames": [...]}}: the host's roles become exactly
     * these (the documented replace); 404 for an unknown or retired host.
     */
    private JsonNode putRoles(String id, JsonNode in) {
        MackerelRules.object(in, "roles body");
        MackerelRules.onlyKeys(in, Set.of("roleFullnames"));
        if (!in.has("roleFullnames")) {
            throw bad("roleFullnames is required");
        }
        List<String> roles = MackerelRules.roleFullnames(in.get("roleFullnames"));
        FakeHost h = liveOrRetired(id);
        if (h.retired()) {
            throw new ApiError(404, "host not found: " + id);
        }
        hosts.put(id, h.withRoles(roles));
        return success();
    }

    private static JsonNode hostAnswer(FakeHost h) {
        ObjectNode host = JSON.createObjectNode().put("id", h.id()).put("name", h.name());
        if (h.customIdentifier() != null) {
            host.put("customIdentifier", h.customIdentifier());
        }
        host.put("status", "working").put("isRetired", h.retired()).set("meta", JSON.valueToTree(h.meta()));
        ObjectNode roles = host.putObject("roles");
        for (String full : h.roleFullnames()) {
            String[] sr = full.split(":");
            roles.withArrayProperty(sr[0]).add(sr[1]);
        }
        return JSON.createObjectNode().set("host", host);
    }

    private ObjectNode dashboard(String id) {
        ObjectNode d = dashboards.get(id);
        if (d == null) {
            throw new ApiError(404, "dashboard not found: " + id);
        }
        return d;
    }

    private JsonNode saveDashboard(String id, JsonNode in) {
        MackerelRules.dashboard(in);
        String urlPath = in.get("urlPath").asText();
        if (dashboards.values().stream()
                .anyMatch(d -> !d.get("id").asText().equals(id) && d.get("urlPath").asText().equals(urlPath))) {
            throw new ApiError(409, "urlPath already in use: " + urlPath);
        }
        long now = clock.get().getEpochSecond();
        ObjectNode d = ((ObjectNode) in.deepCopy()).put("id", id).put("updatedAt", now);
        d.put("createdAt", dashboards.containsKey(id) ? dashboards.get(id).get("createdAt").asLong() : now);
        if (!d.has("memo")) {
            d.put("memo", "");
        }
        dashboards.put(id, d);
        return d.deepCopy();
    }

    private static JsonNode success() {
        return JSON.createObjectNode().put("success", true);
    }

    private static String newId() {
        String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        StringBuilder id = new StringBuilder(11);
        for (int i = 0; i < 11; i++) {
            id.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
        }
        return id.toString();
    }
}
