package io.gostats.relay.sink.mackerel.plugin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.gostats.relay.sink.mackerel.graphs.GostatsMetric;
import io.gostats.relay.sink.mackerel.points.PluginRules;
import io.gostats.relay.util.AtomicFiles;

/**
 * Plugin mode's memory between runs, as go-mackerel-plugin keeps it in its temp file: per printed prefix
 * ({@code gostats.32768}) the raw values last fetched (the {@code /stats} field names) and {@code _lastTime} in Unix
 * seconds. For sources without the handler's interval figures (client_golang, expvar) also the counters those come
 * from between two runs: {@code _gcPauseTotal} (seconds) and {@code _startTime} (the process's, where the source has
 * it); the GC count is {@code gc_num}. A target whose fetch failed keeps its old entry; entries not refreshed for a
 * day are dropped.
 */
public final class PluginState {

    private static final Logger LOG = Logger.getLogger(PluginState.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LAST_TIME = "_lastTime";
    private static final String GC_PAUSE_TOTAL = "_gcPauseTotal";
    private static final String START_TIME = "_startTime";
    static final long FORGET_AFTER_SECONDS = 86_400;

    private final Path file;
    private final ObjectNode entries;

    private PluginState(Path file, ObjectNode entries) {
        this.file = file;
        this.entries = entries;
    }

    /** The state in {@code file}; empty when it is missing or unreadable (then every Diff starts afresh). */
    public static PluginState load(Path file) {
        if (Files.exists(file)) {
            try {
                JsonNode node = JSON.readTree(file.toFile());
                if (node instanceof ObjectNode o) {
                    return new PluginState(file, o);
                }
            } catch (IOException e) {
                LOG.warnf("ignoring unreadable plugin state %s: %s", file, e.getMessage());
            }
        }
        return new PluginState(file, JSON.createObjectNode());
    }

    public Optional<PluginRules.Previous> previous(String name) {
        JsonNode e = entries.get(name);
        if (e == null || !e.has(LAST_TIME)) {
            return Optional.empty();
        }
        Map<GostatsMetric, Double> reported = new EnumMap<>(GostatsMetric.class);
        for (GostatsMetric m : GostatsMetric.values()) {
            JsonNode v = e.get(m.key);
            if (v != null && v.isNumber()) {
                reported.put(m, v.asDouble());
            }
        }
        return Optional.of(new PluginRules.Previous(reported, e.get(LAST_TIME).asLong()));
    }

    /** The counters of the previous run, as {@link #put} kept them. */
    public Counters counters(String name) {
        JsonNode e = entries.get(name);
        return e == null ? Counters.NONE : new Counters(number(e, GostatsMetric.GC_NUM.key), number(e, GC_PAUSE_TOTAL),
                number(e, START_TIME));
    }

    private static OptionalDouble number(JsonNode e, String field) {
        JsonNode v = e.get(field);
        return v != null && v.isNumber() ? OptionalDouble.of(v.asDouble()) : OptionalDouble.empty();
    }

    /** Keeps the values as reported, under their {@code /stats} field names (files of earlier versions read too). */
    public void put(String name, Map<GostatsMetric, Double> reported, Counters counters, long epochSecond) {
        ObjectNode e = JSON.createObjectNode();
        reported.forEach((m, v) -> e.put(m.key, v));
        counters.gcPauseSeconds().ifPresent(v -> e.put(GC_PAUSE_TOTAL, v));
        counters.startTime().ifPresent(v -> e.put(START_TIME, v));
        e.put(LAST_TIME, epochSecond);
        entries.set(name, e);
    }

    /** Writes the file atomically, without the entries not refreshed for a day. */
    public void save(long nowSecond) throws IOException {
        for (Iterator<Map.Entry<String, JsonNode>> it = entries.fields(); it.hasNext();) {
            JsonNode last = it.next().getValue().get(LAST_TIME);
            if (last == null || nowSecond - last.asLong() > FORGET_AFTER_SECONDS) {
                it.remove();
            }
        }
        AtomicFiles.write(file, out -> JSON.writeValue(out, entries));
    }
}
