package io.gostats.relay.collect.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

import io.gostats.relay.TestData;
import io.gostats.relay.collect.FetchException;
import io.gostats.relay.model.ExpvarKeys;
import io.gostats.relay.model.FailureReason;
import io.gostats.relay.model.GoRuntime;
import io.gostats.relay.model.SourceFormat;

/** Every real capture of client_golang 1.14 and expvar, each told by its Content-Type and by its body alone. */
class FormatsTest {

    static final String TEXT_CT = "text/plain; version=0.0.4; charset=utf-8";
    static final String PROTO_CT =
            "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited";
    static final String JSON_CT = "application/json; charset=utf-8";

    static GoRuntime read(String resource, String contentType) {
        return Formats.read(TestData.bytes(resource), contentType, Optional.empty(), ExpvarKeys.COMMON);
    }

    static FetchException malformed(byte[] body, String contentType, Optional<SourceFormat> forced) {
        FetchException e = assertThrows(FetchException.class,
                () -> Formats.read(body, contentType, forced, ExpvarKeys.COMMON));
        assertEquals(FailureReason.MALFORMED, e.reason(), e.getMessage());
        return e;
    }

    @Test
    void clientGolangTextCarriesTheGoAndProcessFamilies() {
        for (String ct : new String[] { TEXT_CT, null, "application/octet-stream",
                "text/plain; version=0.0.4; charset=utf-8; escaping=underscores" }) {
            GoRuntime r = read("go-formats/metrics-text-0.0.4.txt", ct);
            assertEquals(SourceFormat.PROMETHEUS, r.format(), ct);
            assertEquals(OptionalLong.of(7), r.goroutines());
            assertEquals(Optional.of("go1.19.8"), r.goVersion());
            assertEquals(OptionalLong.of(17_768_584), r.heapAllocBytes());
            assertEquals(OptionalLong.of(30_129_168), r.sysBytes());
            assertEquals(OptionalLong.of(327_680), r.stackInuseBytes());
            assertEquals(OptionalLong.of(20_611_072), r.heapSysBytes());
            assertEquals(OptionalLong.of(2_105_344), r.heapIdleBytes());
            assertEquals(OptionalLong.of(18_505_728), r.heapInuseBytes());
            assertEquals(OptionalLong.of(2_105_344), r.heapReleasedBytes());
            assertEquals(OptionalLong.of(1156), r.heapObjects());
            assertEquals(OptionalLong.of(18_478_720), r.gcGoalBytes());
            assertEquals(OptionalLong.of(10), r.gcCycles());
            assertEquals(OptionalDouble.of(0.001388241), r.gcPauseSecondsTotal());
            assertEquals(OptionalLong.of(2473), r.mallocs());
            assertEquals(OptionalLong.of(1317), r.frees());
            assertEquals(OptionalLong.of(0), r.lookups(), "1.14 still has go_memstats_lookups_total");
            assertEquals(OptionalLong.of(76_656_808), r.allocatedBytesTotal());
            assertEquals(OptionalDouble.of(0.07), r.cpuSecondsTotal());
            assertEquals(OptionalLong.of(28_200_960), r.residentBytes());
            assertEquals(OptionalLong.of(11), r.openFds());
            assertEquals(OptionalLong.of(20_000), r.maxFds());
            assertEquals(OptionalDouble.of(1.79614401933e9), r.startTimeSeconds());
            // not in a default client_golang 1.14 exposition: absent, never 0
            assertEquals(OptionalLong.empty(), r.gomaxprocs());
            assertEquals(OptionalLong.empty(), r.cgoCalls());
            assertEquals(OptionalDouble.empty(), r.gcPerSecond());
            assertEquals(OptionalDouble.empty(), r.gcPauseMillis());
        }
    }

    @Test
    void clientGolangProtobufCarriesTheSameFamilies() {
        for (String ct : new String[] { PROTO_CT, null, "application/octet-stream",
                PROTO_CT + "; escaping=underscores" }) {
            GoRuntime r = read("go-formats/metrics-protobuf-delimited.bin", ct);
            assertEquals(SourceFormat.PROMETHEUS, r.format(), ct);
            assertEquals(OptionalLong.of(7), r.goroutines());
            assertEquals(Optional.of("go1.19.8"), r.goVersion());
            assertEquals(OptionalLong.of(9_595_496), r.heapAllocBytes());
            assertEquals(OptionalLong.of(11), r.gcCycles(), "the summary's sample_count");
            assertEquals(OptionalDouble.of(0.001813135), r.gcPauseSecondsTotal(), "the summary's sample_sum");
            assertEquals(OptionalLong.of(3264), r.mallocs());
            assertEquals(OptionalLong.of(1453), r.frees());
            assertEquals(OptionalLong.of(77_398_992), r.allocatedBytesTotal());
            assertEquals(OptionalLong.of(360_448), r.stackInuseBytes());
            assertEquals(OptionalLong.of(18_361_048), r.gcGoalBytes());
            assertEquals(OptionalLong.of(28_463_104), r.residentBytes());
            assertEquals(OptionalDouble.of(1.79614401933e9), r.startTimeSeconds());
            assertEquals(OptionalLong.empty(), r.gomaxprocs());
            assertEquals(OptionalLong.empty(), r.cgoCalls());
        }
    }

    @Test
    void optInRuntimeMetricsGiveCgoCallsAndGomaxprocs() {
        GoRuntime r = read("go-formats/metrics-text-0.0.4-opt-in-runtime-metrics-all.txt", TEXT_CT);
        assertTrue(r.cgoCalls().isPresent(), "go_cgo_go_to_c_calls_calls_total");
        assertTrue(r.gomaxprocs().isPresent(), "go_sched_gomaxprocs_threads");
        assertTrue(r.gcCycles().isPresent());
    }

    @Test
    void expvarDefaultHasMemstatsOnly() {
        for (String ct : new String[] { JSON_CT, null, "text/html" }) {
            GoRuntime r = read("go-formats/debug-vars-default.json", ct);
            assertEquals(SourceFormat.EXPVAR, r.format(), ct);
            assertEquals(OptionalLong.of(10_381_560), r.heapAllocBytes());
            assertEquals(OptionalLong.of(30_129_168), r.sysBytes());
            assertEquals(OptionalLong.of(78_185_056), r.allocatedBytesTotal());
            assertEquals(OptionalLong.of(5033), r.mallocs());
            assertEquals(OptionalLong.of(1699), r.frees());
            assertEquals(OptionalLong.of(0), r.lookups());
            assertTrue(r.gcCycles().isPresent() && r.gcPauseSecondsTotal().isPresent());
            assertEquals(OptionalLong.empty(), r.goroutines(), "expvar publishes no goroutine count by itself");
            assertEquals(OptionalLong.empty(), r.gomaxprocs());
            assertEquals(OptionalLong.empty(), r.cgoCalls());
            assertEquals(Optional.empty(), r.goVersion());
            assertEquals(OptionalDouble.empty(), r.startTimeSeconds());
        }
    }

    @Test
    void expvarPublishedExtrasAreRead() {
        GoRuntime r = read("go-formats/debug-vars-with-published-extras.json", JSON_CT);
        assertEquals(OptionalLong.of(4), r.goroutines());
        assertEquals(OptionalLong.of(2), r.gomaxprocs());
        assertEquals(OptionalLong.of(1), r.cgoCalls());
    }

    @Test
    void golangStatsIsStillReadByContentTypeAndByBody() {
        for (String ct : new String[] { "application/json", null }) {
            GoRuntime r = read("samples/stats-churn.json", ct);
            assertEquals(SourceFormat.GOSTATS, r.format());
            assertTrue(r.goroutines().isPresent());
        }
    }

    @Test
    void aForcedFormatIsReadAsThatOne() {
        byte[] expvar = TestData.bytes("go-formats/debug-vars-default.json");
        assertEquals(SourceFormat.EXPVAR,
                Formats.read(expvar, null, Optional.of(SourceFormat.EXPVAR), ExpvarKeys.COMMON).format());
        // forced golang-stats: an expvar body has none of the handler's keys
        assertTrue(malformed(expvar, JSON_CT, Optional.of(SourceFormat.GOSTATS)).getMessage()
                .contains("not a golang-stats object"));
        assertTrue(malformed(TestData.bytes("samples/stats-churn.json"), JSON_CT, Optional.of(SourceFormat.EXPVAR))
                .getMessage().contains("no memstats"));
        malformed(expvar, JSON_CT, Optional.of(SourceFormat.PROMETHEUS));
        assertEquals(SourceFormat.PROMETHEUS, Formats.read(TestData.bytes("go-formats/metrics-protobuf-delimited.bin"),
                null, Optional.of(SourceFormat.PROMETHEUS), ExpvarKeys.COMMON).format());
    }

    @Test
    void aBodyThatFitsNoFormatIsMalformedNeverZeros() {
        String[][] cases = {
                { "{}", JSON_CT, "not a golang-stats object" },
                { "{}", null, "not a golang-stats object" },
                { "{\"cmdline\":[\"x\"]}", JSON_CT, "not a golang-stats object" },
                { "{\"time\":1}", null, "not a golang-stats object" },
                { "{\"memstats\":{\"Alloc\":-1}}", JSON_CT, "memstats.Alloc is -1" },
                { "{\"memstats\":{\"Alloc\":1.5}}", JSON_CT, "not a count" },
                { "{\"memstats\":{\"Sys\":18446744073709551615}}", JSON_CT, "memstats.Sys" },
                { "<html><body>502 Bad Gateway</body></html>", "text/html", "fits no format" },
                { "<html><body>502 Bad Gateway</body></html>", null, "fits no format" },
                { "", JSON_CT, "empty body" },
                { "go_goroutines 7\n", "application/openmetrics-text; version=1.0.0", "unsupported format" },
        };
        for (String[] c : cases) {
            FetchException e = malformed(c[0].getBytes(StandardCharsets.UTF_8), c[1], Optional.empty());
            assertTrue(e.getMessage().contains(c[2]), c[0] + " -> " + e.getMessage());
        }
    }

    @Test
    void truncatedRepliesOfEachFormatAreMalformed() {
        String[][] captures = {
                { "go-formats/metrics-text-0.0.4.txt", TEXT_CT },
                { "go-formats/metrics-protobuf-delimited.bin", PROTO_CT },
                { "go-formats/debug-vars-default.json", JSON_CT },
                { "samples/stats-churn.json", "application/json" } };
        for (String[] c : captures) {
            byte[] whole = TestData.bytes(c[0]);
            for (int cut : new int[] { whole.length / 3, whole.length / 2, whole.length - 3 }) {
                byte[] part = Arrays.copyOf(whole, cut);
                malformed(part, c[1], Optional.empty());
                malformed(part, null, Optional.empty());
            }
        }
    }

    @Test
    void openMetricsIsNotRead() {
        malformed(TestData.bytes("go-formats/metrics-openmetrics-0.0.1-enabled-handler.txt"),
                "application/openmetrics-text; version=0.0.1; charset=utf-8", Optional.empty());
    }

    @Test
    void expvarKeysFromALabelReplaceTheCommonNames() {
        byte[] body = ("{\"memstats\":{\"NumGC\":3},\"goroutines\":5,\"live\":\"17\",\"procs\":{\"a\":1}}")
                .getBytes(StandardCharsets.UTF_8);
        ExpvarKeys keys = new ExpvarKeys(java.util.List.of("live"), java.util.List.of("procs"),
                java.util.List.of("nothing"));
        GoRuntime r = Formats.read(body, JSON_CT, Optional.empty(), keys);
        assertEquals(OptionalLong.of(17), r.goroutines(), "a digit string, under the labelled key");
        assertEquals(OptionalLong.empty(), r.gomaxprocs(), "a map is not a count");
        assertEquals(OptionalLong.empty(), r.cgoCalls());
        assertEquals(OptionalLong.of(5),
                Formats.read(body, JSON_CT, Optional.empty(), ExpvarKeys.COMMON).goroutines());
    }

    /** golang-stats is read first, in one pass; an expvar reply with a key it cannot read is still expvar. */
    @Test
    void anExpvarReplyIsExpvarWhateverKeysComeBeforeMemstats() {
        byte[] body = "{\"goroutine_num\":\"many\",\"heap_sys\":-1,\"memstats\":{\"NumGC\":3}}"
                .getBytes(StandardCharsets.UTF_8);
        for (String ct : new String[] { JSON_CT, null }) {
            GoRuntime r = Formats.read(body, ct, Optional.empty(), ExpvarKeys.COMMON);
            assertEquals(SourceFormat.EXPVAR, r.format(), ct);
            assertEquals(OptionalLong.of(3), r.gcCycles(), ct);
        }
        assertTrue(malformed("{\"goroutine_num\":\"many\"}".getBytes(StandardCharsets.UTF_8), JSON_CT,
                Optional.empty()).getMessage().contains("many"));
    }
}
