package io.gostats.relay.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.gostats.relay.it.Exposition;
import io.prometheus.metrics.expositionformats.generated.Metrics;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Real client_golang and expvar processes side by side ({@link PromappResource}): what /q/metrics shows of each is what
 * that process itself last served (its {@code /debug/last}, decoded here without the relay's readers: protobuf with
 * the generated classes, expvar with Jackson), what a format lacks has no series, and a restarted client_golang
 * process (a new start time) continues from its own counters with no negative step.
 */
@QuarkusTest
@Tag("e2e")
@TestProfile(FormatsE2ETest.Profile.class)
@WithTestResource(value = PromappResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FormatsE2ETest {

    static final Duration WITHIN = Duration.ofSeconds(30);

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("relay.interval", "2s");
        }
    }

    @ConfigProperty(name = "e2e.promapp.prom")
    int prom;
    @ConfigProperty(name = "e2e.promapp.vars")
    int vars;
    @ConfigProperty(name = "e2e.promapp.plain")
    int plain;

    static final HttpClient HTTP = HttpClient.newHttpClient();

    static Map<String, String> target(int port) {
        return Map.of("target", "127.0.0.1:" + port);
    }

    /** The bytes {@code port} last served on {@code path}, and their Content-Type. */
    record Served(String contentType, byte[] body) {
    }

    static Served last(int port, String path) {
        try {
            HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/debug/last?path=" + path)).build(), HttpResponse.BodyHandlers.ofByteArray());
            return r.statusCode() == 200 ? new Served(r.headers().firstValue("Content-Type").orElse(""), r.body())
                    : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Exposition scrape() {
        return Exposition.parse(given().header("Accept", "text/plain").get("/q/metrics").then().statusCode(200)
                .extract().asString());
    }

    /** The unlabelled values (and summary count/sum) of a delimited protobuf exposition. */
    static Map<String, Double> decode(byte[] body) throws IOException {
        Map<String, Double> v = new HashMap<>();
        ByteArrayInputStream in = new ByteArrayInputStream(body);
        Metrics.MetricFamily f;
        while ((f = Metrics.MetricFamily.parseDelimitedFrom(in)) != null) {
            Metrics.Metric m = f.getMetric(0);
            switch (f.getType()) {
                case GAUGE -> v.put(f.getName(), m.getGauge().getValue());
                case COUNTER -> v.put(f.getName(), m.getCounter().getValue());
                case SUMMARY -> v.put(f.getName() + "_count", (double) m.getSummary().getSampleCount());
                default -> { }
            }
        }
        return v;
    }

    /**
     * Retries until the relay's latest snapshot and the process's last reply are of the same fetch (a cycle may
     * fetch between the two reads): {@code compare} returns null when they agree, else what differs.
     */
    void eventually(Function<Exposition, String> compare) {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        String last = "no cycle yet";
        while (System.nanoTime() < deadline) {
            Exposition e = scrape();
            last = compare.apply(e);
            if (last == null) {
                return;
            }
            sleep(300);
        }
        fail(last);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String differs(Exposition e, Map<String, String> t, Map<String, Double> expected) {
        for (var x : expected.entrySet()) {
            Optional<Double> got = e.value(x.getKey(), t);
            if (got.isEmpty() || Math.abs(got.get() - x.getValue()) > 1e-9 * Math.max(1, Math.abs(x.getValue()))) {
                return t + ": " + x.getKey() + " = " + got + ", the process served " + x.getValue();
            }
        }
        return null;
    }

    @Test
    @Order(1)
    void clientGolangIsReadFromItsProtobufReply() {
        eventually(e -> {
            Served s = last(prom, "/metrics");
            if (s == null) {
                return "promapp has served no /metrics yet";
            }
            assertTrue(s.contentType().contains("encoding=delimited"), "the relay's Accept got protobuf: "
                    + s.contentType());
            Map<String, Double> v;
            try {
                v = decode(s.body());
            } catch (IOException x) {
                throw new AssertionError(x);
            }
            return differs(e, target(prom), Map.of(
                    "gostats_goroutines", v.get("go_goroutines"),
                    "gostats_memory_sys_bytes", v.get("go_memstats_sys_bytes"),
                    "gostats_heap_inuse_bytes", v.get("go_memstats_heap_inuse_bytes"),
                    "gostats_memory_mallocs_total", v.get("go_memstats_mallocs_total"),
                    "gostats_gc_cycles_total", v.get("go_gc_duration_seconds_count"),
                    "gostats_process_resident_memory_bytes", v.get("process_resident_memory_bytes"),
                    "gostats_process_start_time_seconds", v.get("process_start_time_seconds"),
                    "gostats_process_open_fds", v.get("process_open_fds")));
        });
        Exposition e = scrape();
        Map<String, String> t = target(prom);
        assertEquals(1.0, e.value("gostats_info", Map.of("target", "127.0.0.1:" + prom, "format", "prometheus"))
                .orElseThrow());
        assertTrue(e.value("gostats_cgo_calls_total", t).isEmpty(), "client_golang has no cgo calls: no series");
        assertTrue(e.value("gostats_gomaxprocs", t).isEmpty(), "client_golang 1.14 has no GOMAXPROCS: no series");
    }

    @Test
    @Order(2)
    void expvarIsReadFromMemstatsAndWhatTheAppPublished() {
        ObjectMapper json = new ObjectMapper();
        for (int port : new int[] { vars, plain }) {
            eventually(e -> {
                Served s = last(port, "/debug/vars");
                if (s == null) {
                    return port + " has served no /debug/vars yet";
                }
                JsonNode root;
                try {
                    root = json.readTree(s.body());
                } catch (IOException x) {
                    throw new AssertionError(x);
                }
                JsonNode ms = root.get("memstats");
                Map<String, Double> expected = new HashMap<>(Map.of(
                        "gostats_memory_sys_bytes", ms.get("Sys").asDouble(),
                        "gostats_heap_objects", ms.get("HeapObjects").asDouble(),
                        "gostats_gc_cycles_total", ms.get("NumGC").asDouble(),
                        "gostats_memory_allocated_bytes_total", ms.get("TotalAlloc").asDouble()));
                if (port == vars) {
                    expected.put("gostats_goroutines", root.get("goroutines").asDouble());
                    expected.put("gostats_gomaxprocs", root.get("gomaxprocs").asDouble());
                    expected.put("gostats_cgo_calls_total", root.get("cgo_calls").asDouble());
                }
                return differs(e, target(port), expected);
            });
        }
        Exposition e = scrape();
        assertTrue(e.value("gostats_goroutines", target(vars)).orElseThrow() >= 9, "9 extra goroutines and more");
        for (String absent : List.of("gostats_goroutines", "gostats_gomaxprocs", "gostats_cgo_calls_total",
                "gostats_process_start_time_seconds")) {
            assertTrue(e.value(absent, target(plain)).isEmpty(), "plain expvar has no " + absent);
        }
        assertEquals(1.0, e.value("gostats_info", Map.of("target", "127.0.0.1:" + plain, "format", "expvar"))
                .orElseThrow());
    }

    @Test
    @Order(3)
    void aRestartedClientGolangProcessIsANewStartTimeWithItsOwnCounters() throws Exception {
        Map<String, String> t = target(prom);
        double before = scrape().value("gostats_process_start_time_seconds", t).orElseThrow();
        Process old = PromappResource.PROCESSES.get(0);
        old.destroy();
        old.waitFor();
        sleep(1100); // process_start_time_seconds has 10 ms steps, and this keeps them well apart
        PromappResource.start(prom);
        eventually(e -> {
            Optional<Double> start = e.value("gostats_process_start_time_seconds", t);
            return start.isPresent() && start.get() != before ? null : "still the old start time " + start;
        });
        Exposition e = scrape();
        assertNotEquals(before, e.value("gostats_process_start_time_seconds", t).orElseThrow());
        double gcs = e.value("gostats_gc_cycles_total", t).orElseThrow();
        assertTrue(gcs >= 0 && gcs < 1000, "the new process's own GC count, from 0: " + gcs);
        assertEquals(1.0, e.value("gostats_up", t).orElseThrow());
    }
}
