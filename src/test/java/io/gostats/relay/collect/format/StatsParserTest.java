package io.gostats.relay.collect.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

import io.gostats.relay.TestData;
import io.gostats.relay.collect.FetchException;
import io.gostats.relay.model.FailureReason;
import io.gostats.relay.model.GoRuntime;
import io.gostats.relay.model.SourceFormat;

class StatsParserTest {

    @Test
    void readsCompactReplyWithNanosecondTimesExactly() {
        GoStats doc = StatsParser.read(TestData.bytes("samples/stats-churn.json"));
        // above 2^53: a double would round these to a multiple of 256 ns
        assertEquals(1795530545878157398L, doc.time());
        assertEquals(1795530545864698203L, doc.gcLast());
        GoRuntime s = StatsParser.parse(TestData.bytes("samples/stats-churn.json"));
        assertEquals(SourceFormat.GOSTATS, s.format());
        assertEquals(Optional.of("go1.19.8"), s.goVersion());
        assertEquals(Optional.of("linux"), s.goOs());
        assertEquals(Optional.of("amd64"), s.goArch());
        assertEquals(OptionalLong.of(4), s.goroutines());
        assertEquals(OptionalLong.of(13469088), s.heapAllocBytes());
        assertEquals(OptionalLong.of(1643132424), s.allocatedBytesTotal());
        assertEquals(OptionalLong.of(1444487), s.mallocs());
        assertEquals(OptionalLong.of(209), s.gcCycles());
        assertEquals(OptionalDouble.of(49.510057295101774), s.gcPerSecond());
        assertEquals(OptionalDouble.of(6.268024), s.gcPauseMillis());
        assertTrue(s.gcPauseSecondsTotal().isEmpty(), "the document has no pause total");
    }

    @Test
    void readsIndentedReply() {
        GoRuntime s = StatsParser.parse(TestData.bytes("samples/stats-pretty.json"));
        assertEquals(OptionalLong.of(1716), s.gcCycles());
        assertEquals(OptionalLong.of(11671135), s.mallocs());
        assertEquals(OptionalDouble.of(41.68847868798251), s.gcPerSecond());
    }

    @Test
    void readsIntegerTokensInFloatFieldsAndEmptyPauses() {
        GoRuntime s = StatsParser.parse(TestData.bytes("samples/stats-fresh.json"));
        assertEquals(OptionalDouble.of(0.0), s.gcPerSecond());
        assertEquals(0, StatsParser.read(TestData.bytes("samples/stats-fresh.json")).gcLast());
        assertEquals(OptionalLong.of(666), s.mallocs());
    }

    /**
     * A missing key is absent, never 0 (the plugin reads it as 0: its compatible outputs still do, see
     * PluginRulesTest#missingKeysAreZeroOnlyInThePluginCompatibleOutputs).
     */
    @Test
    void missingFieldsAreAbsent() {
        GoRuntime s = StatsParser.parse("{\"goroutine_num\":7}".getBytes(StandardCharsets.UTF_8));
        assertEquals(OptionalLong.of(7), s.goroutines());
        assertEquals(OptionalLong.empty(), s.heapAllocBytes());
        assertEquals(OptionalLong.empty(), s.gcCycles());
        assertEquals(OptionalDouble.empty(), s.gcPerSecond());
        assertEquals(Optional.empty(), s.goVersion());
    }

    @Test
    void htmlTruncatedAndNonObjectBodiesAreMalformed() {
        for (String body : new String[] { "<html><body>502 Bad Gateway</body></html>", "{\"time\":17955305458781",
                "[1,2]", "null", "", "{\"goroutine_num\":\"many\"}", "{} {}" }) {
            FetchException e = assertThrows(FetchException.class,
                    () -> StatsParser.parse(body.getBytes(StandardCharsets.UTF_8)), body);
            assertEquals(FailureReason.MALFORMED, e.reason(), body);
        }
    }

    @Test
    void wrongTypesNegativeAndOutOfRangeNumbersAreMalformedNamingTheField() {
        Map<String, String> bodies = Map.of(
                "{\"memory_alloc\":-1}", "memory_alloc is negative",
                "{\"gc_num\":-4294967296}", "gc_num is negative",
                "{\"memory_sys\":18446744073709551615}", "out of range",
                "{\"heap_objects\":1e400}", "",
                "{\"goroutine_num\":true}", "",
                "{\"goroutine_num\":{}}", "",
                "{\"goroutine_num\":[1]}", "",
                "{\"go_version\":{\"a\":1}}", "");
        bodies.forEach((body, says) -> {
            FetchException e = assertThrows(FetchException.class,
                    () -> StatsParser.parse(body.getBytes(StandardCharsets.UTF_8)), body);
            assertEquals(FailureReason.MALFORMED, e.reason(), body);
            assertTrue(e.getMessage().contains(says), body + ": " + e.getMessage());
        });
    }

    @Test
    void hugeButValidNumbersAreKeptExactly() {
        GoRuntime s = StatsParser.parse(("{\"memory_total_alloc\":9223372036854775807,\"gc_num\":4294967295,"
                + "\"gc_per_second\":1e300,\"goroutine_num\":\"12\"}").getBytes(StandardCharsets.UTF_8));
        assertEquals(OptionalLong.of(Long.MAX_VALUE), s.allocatedBytesTotal());
        assertEquals(OptionalLong.of(4294967295L), s.gcCycles(), "gc_num is a uint32: its largest value");
        assertEquals(OptionalDouble.of(1e300), s.gcPerSecond());
        assertEquals(OptionalLong.of(12), s.goroutines(), "a number in a string is read as Jackson reads it");
    }

    /**
     * The streaming reader reads every body as Jackson's bean binding of the document did before it (the reference
     * here): the handler's replies, and the odd tokens it hands to databind (numbers in strings, a float in a count,
     * nulls), unknown keys holding objects and arrays, a key given twice, a {@code memstats} object.
     */
    @Test
    void readsEachBodyAsTheBeanBindingDid() throws Exception {
        com.fasterxml.jackson.databind.ObjectReader bean = new com.fasterxml.jackson.databind.ObjectMapper()
                .setPropertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE)
                .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .readerFor(GoStats.class);
        java.util.List<byte[]> bodies = new java.util.ArrayList<>(java.util.List.of(
                TestData.bytes("samples/stats-churn.json"), TestData.bytes("samples/stats-pretty.json"),
                TestData.bytes("samples/stats-fresh.json")));
        for (String body : new String[] {
                "{\"goroutine_num\":\"12\",\"gc_per_second\":\"2.5\",\"go_version\":7}",
                "{\"memory_alloc\":1.9,\"heap_sys\":2e3,\"gc_pause_per_second\":3}",
                "{\"gc_num\":null,\"go_os\":null,\"gc_per_second\":null,\"heap_idle\":5}",
                "{\"x\":{\"gc_num\":9,\"y\":[1,{\"z\":2}]},\"gc_pause\":[1,2,3],\"gc_num\":4}",
                "{\"gc_num\":4,\"gc_num\":5}",
                "{\"memstats\":{\"NumGC\":3},\"goroutine_num\":1}",
                " {\n  \"time\" : 9223372036854775807 , \"cpu_num\" : 0, \"gomaxprocs\": 1 }\n" }) {
            bodies.add(body.getBytes(StandardCharsets.UTF_8));
        }
        for (byte[] body : bodies) {
            String text = new String(body, StandardCharsets.UTF_8);
            assertEquals(bean.readValue(body), StatsParser.read(body), text);
        }
    }

    @Test
    void aMemstatsObjectEndsTheReadingOnlyWhenAskedTo() {
        byte[] expvar = "{\"cmdline\":[\"x\"],\"memstats\":{\"NumGC\":3},\"goroutine_num\":1}"
                .getBytes(StandardCharsets.UTF_8);
        assertEquals(null, StatsParser.readUnlessExpvar(expvar));
        assertEquals(1L, StatsParser.read(expvar).goroutineNum());
        byte[] notAnObject = "{\"memstats\":1,\"goroutine_num\":2}".getBytes(StandardCharsets.UTF_8);
        assertEquals(2L, StatsParser.readUnlessExpvar(notAnObject).goroutineNum());
    }
}
