package io.gostats.relay.collect.format;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import io.gostats.relay.collect.FetchException;
import io.gostats.relay.model.FailureReason;
import io.gostats.relay.model.GoRuntime;

/**
 * Reads a /stats body of golang-stats-api-handler, compact or indented, into a {@link GoRuntime}. A key the reply
 * leaves out is absent in the record (the plugin would read it as 0; the plugin-compatible outputs still do).
 * Anything that is not one JSON object of that shape is malformed, and so is a negative count or size (the
 * handler's are unsigned) or one past 2^63: such a reply is reported, never shown. A golang-stats object carries at
 * least one of the handler's runtime figures ({@code goroutine_num}, {@code memory_alloc}, ...): {@code {}}, or an
 * object with only {@code time} or the Go version, is some other JSON and malformed here, never a task of zeros.
 *
 * <p>
 * One pass of Jackson's streaming parser over the body, no tree and no bean binding: at 1,000 targets a cycle this
 * is the relay's most frequent work (a tree, then a bean, cost four times as much). The handler's own tokens (an
 * integer for a count, a number for a rate, a string for a version) are read here; any other token of a known key
 * is handed to Jackson's databind for that key's type, so that it is read, or refused, as a bean of the document
 * was read before ({@code "12"} is 12, {@code 1e400} or {@code true} is malformed).
 */
public final class StatsParser implements FormatParser {

    static final StatsParser INSTANCE = new StatsParser();

    // each reads one value in the middle of the document: what follows it is the document's, not trailing
    private static final ObjectReader LONGS = valueReader(Long.class);
    private static final ObjectReader DOUBLES = valueReader(Double.class);
    private static final ObjectReader STRINGS = valueReader(String.class);

    private StatsParser() {
    }

    private static ObjectReader valueReader(Class<?> type) {
        return Json.MAPPER.readerFor(type).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** @throws FetchException with reason {@link FailureReason#MALFORMED} */
    public static GoRuntime parse(byte[] body) {
        return read(body).toRuntime();
    }

    @Override
    public GoRuntime runtimeOf(byte[] body) {
        return parse(body);
    }

    /** The document as read, checked. */
    static GoStats read(byte[] body) {
        return read(body, false);
    }

    /**
     * The document as read, checked; null as soon as the object turns out to hold a {@code memstats} object (an
     * expvar reply: the caller reads it as one, without this pass having read the rest).
     */
    static GoStats readUnlessExpvar(byte[] body) {
        return read(body, true);
    }

    private static GoStats read(byte[] body, boolean stopAtMemstats) {
        try (JsonParser p = Json.MAPPER.createParser(body)) {
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw new FetchException(FailureReason.MALFORMED, first == null ? "body is empty"
                        : first == JsonToken.VALUE_NULL ? "body is JSON null"
                                : "body is not a JSON object (it starts with " + first + ")");
            }
            Document d = new Document();
            for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                String key = p.currentName();
                if (p.nextToken() == JsonToken.START_OBJECT && stopAtMemstats && key.equals("memstats")) {
                    return null;
                }
                d.read(key, p);
            }
            JsonToken after = p.nextToken();
            if (after != null) {
                throw new FetchException(FailureReason.MALFORMED,
                        "Trailing token (of type " + after + ") found after the object");
            }
            return d.checked();
        } catch (JsonProcessingException e) {
            throw new FetchException(FailureReason.MALFORMED, e.getOriginalMessage());
        } catch (IOException e) {
            throw new FetchException(FailureReason.MALFORMED, e.getMessage());
        }
    }

    /** One document's keys as they stream by (a key given twice: the last wins, as with a bean). */
    private static final class Document {
        Long time;
        String goVersion;
        String goOs;
        String goArch;
        Long cpuNum;
        Long goroutineNum;
        Long gomaxprocs;
        Long cgoCallNum;
        Long memoryAlloc;
        Long memoryTotalAlloc;
        Long memorySys;
        Long memoryLookups;
        Long memoryMallocs;
        Long memoryFrees;
        Long memoryStack;
        Long heapAlloc;
        Long heapSys;
        Long heapIdle;
        Long heapInuse;
        Long heapReleased;
        Long heapObjects;
        Long gcNext;
        Long gcLast;
        Long gcNum;
        Double gcPerSecond;
        Double gcPausePerSecond;
        /** The first count read negative, reported once the whole body has proved to be JSON. */
        String negative;

        void read(String key, JsonParser p) throws IOException {
            switch (key) {
                case "time" -> time = count(key, p);
                case "go_version" -> goVersion = text(p);
                case "go_os" -> goOs = text(p);
                case "go_arch" -> goArch = text(p);
                case "cpu_num" -> cpuNum = count(key, p);
                case "goroutine_num" -> goroutineNum = count(key, p);
                case "gomaxprocs" -> gomaxprocs = count(key, p);
                case "cgo_call_num" -> cgoCallNum = count(key, p);
                case "memory_alloc" -> memoryAlloc = count(key, p);
                case "memory_total_alloc" -> memoryTotalAlloc = count(key, p);
                case "memory_sys" -> memorySys = count(key, p);
                case "memory_lookups" -> memoryLookups = count(key, p);
                case "memory_mallocs" -> memoryMallocs = count(key, p);
                case "memory_frees" -> memoryFrees = count(key, p);
                case "memory_stack" -> memoryStack = count(key, p);
                case "heap_alloc" -> heapAlloc = count(key, p);
                case "heap_sys" -> heapSys = count(key, p);
                case "heap_idle" -> heapIdle = count(key, p);
                case "heap_inuse" -> heapInuse = count(key, p);
                case "heap_released" -> heapReleased = count(key, p);
                case "heap_objects" -> heapObjects = count(key, p);
                case "gc_next" -> gcNext = count(key, p);
                case "gc_last" -> gcLast = count(key, p);
                case "gc_num" -> gcNum = count(key, p);
                case "gc_per_second" -> gcPerSecond = rate(p);
                case "gc_pause_per_second" -> gcPausePerSecond = rate(p);
                default -> p.skipChildren(); // gc_pause (its sum is gc_pause_per_second) and keys of others
            }
        }

        /** A count as the handler writes it (an integer, read exactly: {@code time} passes 2^53), else databind's. */
        private Long count(String key, JsonParser p) throws IOException {
            JsonToken t = p.currentToken();
            Long v = t == JsonToken.VALUE_NUMBER_INT ? Long.valueOf(p.getLongValue())
                    : t == JsonToken.VALUE_NULL ? null : LONGS.readValue(p);
            if (v != null && v < 0 && negative == null) {
                negative = key + " is negative: " + v;
            }
            return v;
        }

        private static Double rate(JsonParser p) throws IOException {
            JsonToken t = p.currentToken();
            return t == JsonToken.VALUE_NUMBER_FLOAT || t == JsonToken.VALUE_NUMBER_INT
                    ? Double.valueOf(p.getDoubleValue()) : t == JsonToken.VALUE_NULL ? null : DOUBLES.readValue(p);
        }

        private static String text(JsonParser p) throws IOException {
            JsonToken t = p.currentToken();
            return t == JsonToken.VALUE_STRING ? p.getText() : t == JsonToken.VALUE_NULL ? null : STRINGS.readValue(p);
        }

        GoStats checked() {
            if (negative != null) {
                throw new FetchException(FailureReason.MALFORMED, negative);
            }
            GoStats stats = new GoStats(time, goVersion, goOs, goArch, cpuNum, goroutineNum, gomaxprocs, cgoCallNum,
                    memoryAlloc, memoryTotalAlloc, memorySys, memoryLookups, memoryMallocs, memoryFrees, memoryStack,
                    heapAlloc, heapSys, heapIdle, heapInuse, heapReleased, heapObjects, gcNext, gcLast, gcNum,
                    gcPerSecond, gcPausePerSecond);
            if (!stats.hasFigures()) {
                throw new FetchException(FailureReason.MALFORMED, "not a golang-stats object: none of its keys "
                        + "(goroutine_num, memory_alloc, heap_sys, gc_num, ...)");
            }
            return stats;
        }
    }
}
