package io.gostats.relay.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.gostats.relay.TestData;
import io.gostats.relay.model.FailureReason;

class StatsParserTest {

    @Test
    void readsCompactReplyWithNanosecondTimesExactly() {
        GoStats s = StatsParser.parse(TestData.bytes("samples/stats-churn.json"));
        // above 2^53: a double would round these to a multiple of 256 ns
        assertEquals(1795530545878157398L, s.time());
        assertEquals(1795530545864698203L, s.gcLast());
        assertEquals("go1.19.8", s.goVersion());
        assertEquals("linux", s.goOs());
        assertEquals("amd64", s.goArch());
        assertEquals(4, s.goroutineNum());
        assertEquals(13469088, s.memoryAlloc());
        assertEquals(1643132424, s.memoryTotalAlloc());
        assertEquals(1444487, s.memoryMallocs());
        assertEquals(209, s.gcNum());
        assertEquals(49.510057295101774, s.gcPerSecond());
        assertEquals(6.268024, s.gcPausePerSecond());
    }

    @Test
    void readsIndentedReply() {
        GoStats s = StatsParser.parse(TestData.bytes("samples/stats-pretty.json"));
        assertEquals(1716, s.gcNum());
        assertEquals(11671135, s.memoryMallocs());
        assertEquals(41.68847868798251, s.gcPerSecond());
    }

    @Test
    void readsIntegerTokensInFloatFieldsAndEmptyPauses() {
        GoStats s = StatsParser.parse(TestData.bytes("samples/stats-fresh.json"));
        assertEquals(0.0, s.gcPerSecond());
        assertEquals(0, s.gcLast());
        assertEquals(666, s.memoryMallocs());
    }

    @Test
    void missingFieldsReadAsZeroAsThePluginReadsThem() {
        GoStats s = StatsParser.parse("{\"goroutine_num\":7}".getBytes(StandardCharsets.UTF_8));
        assertEquals(7, s.goroutineNum());
        assertEquals(0, s.memoryAlloc());
        assertEquals("", s.goVersion());
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
        GoStats s = StatsParser.parse(("{\"memory_total_alloc\":9223372036854775807,\"gc_num\":4294967295,"
                + "\"gc_per_second\":1e300,\"goroutine_num\":\"12\"}").getBytes(StandardCharsets.UTF_8));
        assertEquals(Long.MAX_VALUE, s.memoryTotalAlloc());
        assertEquals(4294967295L, s.gcNum(), "gc_num is a uint32: its largest value");
        assertEquals(1e300, s.gcPerSecond());
        assertEquals(12, s.goroutineNum(), "a number in a string is read as Jackson reads it");
    }
}
