package io.gostats.relay.collect.format;

import java.io.IOException;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 */
public final class StatsParser implements FormatParser {

    static final StatsParser INSTANCE = new StatsParser();

    private static final ObjectReader READER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .readerFor(GoStats.class);

    private StatsParser() {
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
        try {
            GoStats stats = READER.readValue(body);
            if (stats == null) {
                throw new FetchException(FailureReason.MALFORMED, "body is JSON null");
            }
            checkNotNegative(stats);
            if (!stats.hasFigures()) {
                throw new FetchException(FailureReason.MALFORMED, "not a golang-stats object: none of its keys "
                        + "(goroutine_num, memory_alloc, heap_sys, gc_num, ...)");
            }
            return stats;
        } catch (JsonProcessingException e) {
            throw new FetchException(FailureReason.MALFORMED, e.getOriginalMessage());
        } catch (IOException e) {
            throw new FetchException(FailureReason.MALFORMED, e.getMessage());
        }
    }

    private static final Map<String, Function<GoStats, Long>> COUNTS = Map.ofEntries(
            Map.entry("time", GoStats::time), Map.entry("cpu_num", GoStats::cpuNum),
            Map.entry("goroutine_num", GoStats::goroutineNum), Map.entry("gomaxprocs", GoStats::gomaxprocs),
            Map.entry("cgo_call_num", GoStats::cgoCallNum), Map.entry("memory_alloc", GoStats::memoryAlloc),
            Map.entry("memory_total_alloc", GoStats::memoryTotalAlloc), Map.entry("memory_sys", GoStats::memorySys),
            Map.entry("memory_lookups", GoStats::memoryLookups), Map.entry("memory_mallocs", GoStats::memoryMallocs),
            Map.entry("memory_frees", GoStats::memoryFrees), Map.entry("memory_stack", GoStats::memoryStack),
            Map.entry("heap_alloc", GoStats::heapAlloc), Map.entry("heap_sys", GoStats::heapSys),
            Map.entry("heap_idle", GoStats::heapIdle), Map.entry("heap_inuse", GoStats::heapInuse),
            Map.entry("heap_released", GoStats::heapReleased), Map.entry("heap_objects", GoStats::heapObjects),
            Map.entry("gc_next", GoStats::gcNext), Map.entry("gc_last", GoStats::gcLast),
            Map.entry("gc_num", GoStats::gcNum));

    private static void checkNotNegative(GoStats stats) {
        COUNTS.forEach((field, value) -> {
            Long v = value.apply(stats);
            if (v != null && v < 0) {
                throw new FetchException(FailureReason.MALFORMED, field + " is negative: " + v);
            }
        });
    }
}
