package io.gostats.relay.collect.format;

import java.util.List;
import java.util.Map;
import java.util.function.ObjLongConsumer;

import com.fasterxml.jackson.databind.JsonNode;

import io.gostats.relay.model.ExpvarKeys;
import io.gostats.relay.model.GoRuntime;
import io.gostats.relay.model.SourceFormat;

/**
 * expvar's {@code /debug/vars}: one JSON object of every published variable, {@code memstats} (the whole
 * {@code runtime.MemStats}) among them. The memory figures, GC count and pause total come from {@code memstats};
 * goroutines, GOMAXPROCS and cgo calls only from variables the application published under one of
 * {@link ExpvarKeys}' names, as a JSON integer or a string of digits (both idioms exist); a key holding anything
 * else (a map, a float) is not that figure, and it stays absent. Numbers are read exactly: {@code LastGC} and other
 * uint64 fields pass 2^53; a negative number or one past 2^63 in a field the record reads is malformed.
 */
final class ExpvarParser implements FormatParser {

    private static final Map<String, ObjLongConsumer<GoRuntime.Builder>> MEMSTATS = Map.ofEntries(
            Map.entry("Alloc", GoRuntime.Builder::heapAllocBytes),
            Map.entry("Sys", GoRuntime.Builder::sysBytes),
            Map.entry("StackInuse", GoRuntime.Builder::stackInuseBytes),
            Map.entry("HeapSys", GoRuntime.Builder::heapSysBytes),
            Map.entry("HeapIdle", GoRuntime.Builder::heapIdleBytes),
            Map.entry("HeapInuse", GoRuntime.Builder::heapInuseBytes),
            Map.entry("HeapReleased", GoRuntime.Builder::heapReleasedBytes),
            Map.entry("HeapObjects", GoRuntime.Builder::heapObjects),
            Map.entry("NextGC", GoRuntime.Builder::gcGoalBytes),
            Map.entry("NumGC", GoRuntime.Builder::gcCycles),
            Map.entry("Mallocs", GoRuntime.Builder::mallocs),
            Map.entry("Frees", GoRuntime.Builder::frees),
            Map.entry("Lookups", GoRuntime.Builder::lookups),
            Map.entry("TotalAlloc", GoRuntime.Builder::allocatedBytesTotal));

    private final ExpvarKeys keys;

    ExpvarParser(ExpvarKeys keys) {
        this.keys = keys;
    }

    @Override
    public GoRuntime runtimeOf(byte[] body) {
        return fromTree(Json.readObject(body));
    }

    /** Whether a JSON object is an expvar reply: it has an object {@code memstats}. */
    static boolean isExpvar(JsonNode root) {
        return root.path("memstats").isObject();
    }

    GoRuntime fromTree(JsonNode root) {
        if (!isExpvar(root)) {
            throw ExpositionValues.malformed("not an expvar object: no memstats object");
        }
        JsonNode ms = root.get("memstats");
        GoRuntime.Builder b = GoRuntime.builder(SourceFormat.EXPVAR);
        MEMSTATS.forEach((field, setter) -> {
            JsonNode v = ms.get(field);
            if (v != null) {
                setter.accept(b, count("memstats." + field, v));
            }
        });
        JsonNode pause = ms.get("PauseTotalNs");
        if (pause != null) {
            b.gcPauseSecondsTotal(count("memstats.PauseTotalNs", pause) / 1e9);
        }
        published(root, keys.goroutines(), b::goroutines);
        published(root, keys.gomaxprocs(), b::gomaxprocs);
        published(root, keys.cgoCalls(), b::cgoCalls);
        return b.build();
    }

    private static long count(String field, JsonNode v) {
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
            throw ExpositionValues.malformed(field + " is " + abbreviated(v) + ", not a count");
        }
        return v.asLong();
    }

    /** The first of the names present with a usable value. */
    private static void published(JsonNode root, List<String> names, java.util.function.LongFunction<?> setter) {
        for (String name : names) {
            JsonNode v = root.get(name);
            if (v == null) {
                continue;
            }
            if (v.isIntegralNumber() && v.canConvertToLong() && v.asLong() >= 0) {
                setter.apply(v.asLong());
                return;
            }
            if (v.isTextual() && v.asText().matches("\\d{1,18}")) {
                setter.apply(Long.parseLong(v.asText()));
                return;
            }
        }
    }

    private static String abbreviated(JsonNode v) {
        String s = v.toString();
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
