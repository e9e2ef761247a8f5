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

import io.gostats.relay.collect.FetchException;
import io.gostats.relay.model.FailureReason;
import io.gostats.relay.model.GoRuntime;

/** The strict text reader on the format's corner cases: what Go's parser accepts is read, what it rejects is too. */
class PrometheusTextParserTest {

    static GoRuntime parse(String body) {
        return PrometheusTextParser.INSTANCE.runtimeOf(body.getBytes(StandardCharsets.UTF_8));
    }

    static String rejected(String body) {
        FetchException e = assertThrows(FetchException.class, () -> parse(body), body);
        assertEquals(FailureReason.MALFORMED, e.reason());
        return e.getMessage();
    }

    @Test
    void blanksTabsEmptyLinesCommentsTimestampsAndATrailingComma() {
        GoRuntime r = parse("""
                # a comment that is neither HELP nor TYPE
                   # HELP go_goroutines Number of goroutines \\\\ that \\n exist.

                # TYPE go_goroutines gauge
                \t go_goroutines \t 12 \t 1700000000000
                go_info{version="go1.22.1",} 1
                # TYPE process_open_fds gauge
                process_open_fds{} 3
                process_max_fds -0 -1
                """);
        assertEquals(OptionalLong.of(12), r.goroutines());
        assertEquals(Optional.of("go1.22.1"), r.goVersion());
        assertEquals(OptionalLong.of(3), r.openFds(), "empty braces are no labels");
        assertEquals(OptionalLong.of(0), r.maxFds());
    }

    @Test
    void labelValueEscapesAndTheUtf8QuotedNameSyntax() {
        GoRuntime r = parse("""
                go_info{version="go\\"1\\\\2\\n"} 1
                {"my.dotted.metric", a="b"} 7
                {"go_goroutines"} 99
                go_goroutines 5
                """);
        assertEquals(Optional.of("go\"1\\2\n"), r.goVersion());
        assertEquals(OptionalLong.of(5), r.goroutines(), "a quoted name is checked, then skipped");
        assertTrue(rejected("x{a=\"\\t\"} 1\n").contains("invalid escape"));
        assertTrue(rejected("# HELP x bad \\t escape\nx 1\n").contains("invalid escape"));
    }

    @Test
    void goFloatSyntaxIncludingNanAndInfinities() {
        GoRuntime r = parse("""
                # TYPE go_gc_duration_seconds summary
                go_gc_duration_seconds{quantile="0"} NaN
                go_gc_duration_seconds{quantile="1"} +Inf
                go_gc_duration_seconds_sum 1.5e-3
                go_gc_duration_seconds_count 4
                some_gauge -Inf
                other_gauge nan
                go_memstats_mallocs_total 1.79614402732e+09
                go_memstats_frees_total .5e1
                """);
        assertEquals(OptionalDouble.of(0.0015), r.gcPauseSecondsTotal(), "the summary's _sum");
        assertEquals(OptionalLong.of(4), r.gcCycles(), "the summary's _count");
        assertEquals(OptionalLong.of(1_796_144_027), r.mallocs());
        assertEquals(OptionalLong.of(5), r.frees());
        for (String bad : new String[] { "1f", "2d", "0x1p3", "1_000", "1e400", "1,5", "--1", "Infinityy" }) {
            assertTrue(rejected("go_goroutines " + bad + "\n").contains("value of go_goroutines"), bad);
        }
    }

    @Test
    void aMappedFigureThatIsNotACountIsMalformed() {
        for (String v : new String[] { "NaN", "+Inf", "-1", "1e19" }) {
            assertTrue(rejected("go_goroutines " + v + "\n").contains("not a count"), v);
        }
        assertTrue(rejected("process_start_time_seconds -Inf\n").contains("not a time"));
    }

    @Test
    void helpAndTypeRules() {
        Map<String, String> bodies = Map.of(
                "# HELP x one\n# HELP x two\nx 1\n", "second HELP",
                "# TYPE x gauge\n# TYPE x counter\nx 1\n", "second TYPE",
                "x 1\n# TYPE x gauge\n", "after its first sample",
                "# TYPE x gauges\nx 1\n", "unknown type",
                "# TYPE 1x gauge\n", "not a metric name",
                "# HELP\n", "without a metric name",
                "# TYPE s summary\ns 1\n", "no quantile label",
                "# TYPE h histogram\nh_bucket 1\n", "no le label");
        bodies.forEach((body, says) -> assertTrue(rejected(body).contains(says), body + ": " + rejected(body)));
        // without TYPE the family is untyped and _sum/_count are families of their own
        assertEquals(OptionalLong.of(3), parse("go_gc_duration_seconds_count 3\n").gcCycles());
    }

    @Test
    void syntaxErrorsRejectTheWholeBody() {
        String[] bodies = {
                "go_goroutines 7", // no final newline: cut short
                "go_goroutines\n",
                "go_goroutines 7 8 9\n",
                "go_goroutines 7 1.5\n", // a timestamp is int64 milliseconds
                "go_goroutines 7 99999999999999999999\n",
                "go-goroutines 7\n",
                "go_goroutines{a=\"b\" 7\n",
                "go_goroutines{a=b} 7\n",
                "go_goroutines{a=\"b\"}7\n",
                "go_goroutines{a=\"b\",a=\"c\"} 7\n",
                "go_goroutines{1a=\"b\"} 7\n",
                "go_goroutines{a=\"unterminated} 7\n",
                "go_goroutines 7\r\n",
                "go_goroutines 7\ngo_goroutines 8\n",
                "{} 7\n",
        };
        for (String body : bodies) {
            rejected(body);
        }
        FetchException e = assertThrows(FetchException.class,
                () -> PrometheusTextParser.INSTANCE.runtimeOf(new byte[] { 'x', ' ', (byte) 0xff, '\n' }));
        assertTrue(e.getMessage().contains("not UTF-8"));
        assertTrue(rejected("ok 1\nbad line here\n").contains("line 2"), "the line is named");
    }

    @Test
    void aMissingFamilyLeavesItsFigureAbsent() {
        GoRuntime r = parse("# TYPE go_goroutines gauge\ngo_goroutines 3\n");
        assertEquals(OptionalLong.of(3), r.goroutines());
        assertEquals(OptionalLong.empty(), r.sysBytes());
        assertEquals(OptionalLong.empty(), r.gcCycles());
        assertEquals(OptionalDouble.empty(), r.gcPauseSecondsTotal());
        assertEquals(Optional.empty(), r.goVersion());
        GoRuntime none = parse("");
        assertEquals(OptionalLong.empty(), none.goroutines(), "an exposition of no families is one of nothing");
    }
}
