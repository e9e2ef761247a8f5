package io.gostats.relay.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.gostats.relay.it.Exposition;
import io.gostats.relay.sink.mackerel.api.FakeMackerel;
import io.gostats.relay.sink.otlp.FakeOtlpReceiver;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The three source formats as ECS tasks in real containers behind dynamic host ports ({@link FormatTasksResource}),
 * each found by discovery (the {@code gostats.path} label choosing {@code /metrics} or {@code /debug/vars}): what
 * /q/metrics shows of each task is what that task itself last served (read from its debug endpoint, never a second
 * fetch of the target), Mackerel gets each task's graphs under its key with what its format lacks left out, the OTLP
 * receiver gets one resource per task with its ECS attributes, and a restarted client_golang task (a new process
 * start time) continues with its own counters, no negative value anywhere. Runs on each engine of the e2e profile
 * ({@link FormatsInContainersOnDockerE2ETest}, {@link FormatsInContainersOnPodmanE2ETest}).
 */
@Tag("e2e")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class FormatsInContainersE2ETest {

    static final Duration WITHIN = Duration.ofSeconds(45);

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("relay.interval", "2s", "relay.otlp.interval", "2s");
        }
    }

    FakeMackerel mackerel;
    FakeOtlpReceiver otlp;

    @ConfigProperty(name = "e2e.stats")
    String statsSpec;
    @ConfigProperty(name = "e2e.prom")
    String promSpec;
    @ConfigProperty(name = "e2e.vars")
    String varsSpec;
    @ConfigProperty(name = "e2e.setup-error")
    Optional<String> setupError;

    Task stats;
    Task prom;
    Task vars;

    @BeforeEach
    void init() {
        TasksResource.setupError(setupError)
                .ifPresent(why -> fail("end-to-end setup failed (nothing was tested): " + why));
        stats = Task.parse(statsSpec);
        prom = Task.parse(promSpec);
        vars = Task.parse(varsSpec);
    }

    static Map<String, String> task(Task t) {
        return Map.of("task_id", t.taskId());
    }

    /** Retries until the relay's latest snapshot and the task's last reply are of the same fetch. */
    static void eventually(Function<Exposition, String> compare) {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        String last = "no cycle yet";
        while (System.nanoTime() < deadline) {
            last = compare.apply(Scrapes.scrape());
            if (last == null) {
                return;
            }
            Task.sleep(300);
        }
        fail(last);
    }

    static JsonNode json(byte[] body) {
        try {
            return new ObjectMapper().readTree(body);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    @Order(1)
    void eachTaskShowsWhatItServedInItsOwnFormat() {
        eventually(e -> {
            // HTTP/1.0, closed after the reply: no idle connection (a goroutine) is left in the app
            Task.Reply r;
            try {
                r = stats.get("/debug/last-stats");
            } catch (IOException x) {
                return "statsapp's /debug/last-stats: " + x;
            }
            if (r.status() != 200) {
                return "statsapp has served no /stats yet";
            }
            JsonNode j = json(r.body().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return FormatsE2ETest.differs(e, task(stats), Map.of(
                    "gostats_goroutines", j.get("goroutine_num").asDouble(),
                    "gostats_memory_sys_bytes", j.get("memory_sys").asDouble(),
                    "gostats_heap_objects", j.get("heap_objects").asDouble(),
                    "gostats_cgo_calls_total", j.get("cgo_call_num").asDouble()));
        });
        eventually(e -> {
            FormatsE2ETest.Served s = FormatsE2ETest.last(prom.hostPort(), "/metrics");
            if (s == null) {
                return "promapp has served no /metrics yet";
            }
            Map<String, Double> v;
            try {
                v = FormatsE2ETest.decode(s.body());
            } catch (IOException x) {
                throw new AssertionError(x);
            }
            return FormatsE2ETest.differs(e, task(prom), Map.of(
                    "gostats_goroutines", v.get("go_goroutines"),
                    "gostats_memory_sys_bytes", v.get("go_memstats_sys_bytes"),
                    "gostats_gc_cycles_total", v.get("go_gc_duration_seconds_count"),
                    "gostats_process_resident_memory_bytes", v.get("process_resident_memory_bytes"),
                    "gostats_process_start_time_seconds", v.get("process_start_time_seconds")));
        });
        eventually(e -> {
            FormatsE2ETest.Served s = FormatsE2ETest.last(vars.hostPort(), "/debug/vars");
            if (s == null) {
                return "promapp has served no /debug/vars yet";
            }
            JsonNode j = json(s.body());
            return FormatsE2ETest.differs(e, task(vars), Map.of(
                    "gostats_goroutines", j.get("goroutines").asDouble(),
                    "gostats_gomaxprocs", j.get("gomaxprocs").asDouble(),
                    "gostats_memory_sys_bytes", j.get("memstats").get("Sys").asDouble(),
                    "gostats_gc_cycles_total", j.get("memstats").get("NumGC").asDouble()));
        });
        Exposition e = Scrapes.scrape();
        for (var x : Map.of(stats, "gostats", prom, "prometheus", vars, "expvar").entrySet()) {
            Map<String, String> labels = new HashMap<>(x.getKey().seriesLabels());
            labels.put("format", x.getValue());
            assertEquals(1.0, e.value("gostats_info", labels).orElse(Double.NaN), "gostats_info of " + labels);
        }
        assertTrue(e.value("gostats_cgo_calls_total", task(prom)).isEmpty(), "client_golang has no cgo calls");
        assertTrue(e.value("gostats_process_start_time_seconds", task(vars)).isEmpty(), "expvar has no start time");
    }

    /** One resource per task with the ECS attributes and the container's id; what a format lacks has no point. */
    @Test
    @Order(2)
    void otlpGetsOneResourcePerTaskWithItsEcsAttributes() throws InterruptedException {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        Set<String> seen = Set.of();
        while (System.nanoTime() < deadline) {
            seen = new TreeSet<>(otlp.points("go.goroutine.count").stream()
                    .map(p -> p.resource().get("aws.ecs.task.id")).filter(id -> id != null).toList());
            if (seen.containsAll(List.of(stats.taskId(), prom.taskId(), vars.taskId()))) {
                break;
            }
            Thread.sleep(300);
        }
        assertEquals(new TreeSet<>(List.of(stats.taskId(), prom.taskId(), vars.taskId())), seen,
                "go.goroutine.count of every task");
        for (Task t : List.of(stats, prom, vars)) {
            FakeOtlpReceiver.Point p = otlp.points("go.goroutine.count").stream()
                    .filter(x -> t.taskId().equals(x.resource().get("aws.ecs.task.id"))).findFirst().orElseThrow();
            Map<String, String> r = p.resource();
            assertEquals(t.taskArn(), r.get("aws.ecs.task.arn"));
            assertEquals(t.family(), r.get("aws.ecs.task.family"));
            assertEquals(t.revision(), r.get("aws.ecs.task.revision"));
            String id = t.engine().cli("inspect", "-f", "{{.Id}}", t.name()).orThrow().lastLine();
            assertEquals(id, r.get("container.id"), "container.id of " + t.name());
            assertTrue(p.value() >= t.goroutines(), t.family() + " goroutines " + p.value());
        }
        assertEquals(9.0, otlp.points("go.goroutine.count").stream()
                .filter(x -> stats.taskId().equals(x.resource().get("aws.ecs.task.id")))
                .reduce((a, b) -> b).orElseThrow().value(), "statsapp: 3 + 5 goroutines + churn");
        assertFalse(otlp.points("gostats.cgo.calls").stream()
                .anyMatch(x -> prom.taskId().equals(x.resource().get("aws.ecs.task.id"))), "no cgo calls for client_golang");
        assertTrue(otlp.points("gostats.cgo.calls").stream()
                .anyMatch(x -> vars.taskId().equals(x.resource().get("aws.ecs.task.id"))), "expvar published cgo_calls");
        assertEquals(List.of(), otlp.violations);
    }

    /** key (family-slot) -> path -> value of the newest minute that has all three tasks. */
    Map<String, Map<String, Double>> newestMinuteOfAllThree() {
        Map<Long, Map<String, Map<String, Double>>> byMinute = new TreeMap<>();
        mackerel.points().forEach((k, v) -> {
            if (!k.name().startsWith("custom.gostats.")) {
                return;
            }
            String[] parts = k.name().split("\\.", 4);
            byMinute.computeIfAbsent(k.time(), t -> new TreeMap<>())
                    .computeIfAbsent(parts[2], x -> new TreeMap<>()).put(parts[3], v);
        });
        return byMinute.values().stream().filter(m -> m.keySet().containsAll(keys())).reduce((a, b) -> b)
                .orElse(Map.of());
    }

    static List<String> keys() {
        return List.of(FormatTasksResource.STATS + "-1", FormatTasksResource.PROM + "-1",
                FormatTasksResource.VARS + "-1");
    }

    /** Each task's graphs under its own key; what its format lacks is not posted (never a 0). */
    @Test
    @Order(3)
    void mackerelGetsEachTaskUnderItsKeyWithoutWhatItsFormatLacks() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
        Map<String, Map<String, Double>> minute = newestMinuteOfAllThree();
        while (minute.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(500);
            minute = newestMinuteOfAllThree();
        }
        assertFalse(minute.isEmpty(), "no minute with all three tasks in 150 s; got "
                + new TreeSet<>(mackerel.points().keySet().stream().map(k -> k.name()).toList()));
        Map<String, Double> s = minute.get(keys().get(0));
        Map<String, Double> p = minute.get(keys().get(1));
        Map<String, Double> v = minute.get(keys().get(2));
        assertEquals(15, s.size(), "golang-stats: the plugin's 15 metrics " + s.keySet());
        assertEquals(9.0, s.get("runtime.goroutine_num"), "statsapp: 3 + 5 goroutines + churn");
        assertFalse(p.containsKey("runtime.cgo_call_num"), "client_golang has no cgo calls: " + p.keySet());
        assertTrue(p.get("memory.memory_sys") > 0, "client_golang's go_memstats_sys_bytes: " + p);
        assertTrue(v.get("runtime.goroutine_num") >= FormatTasksResource.VARS_GOROUTINES, "expvar's goroutines " + v);
        assertTrue(v.containsKey("runtime.cgo_call_num"), "expvar published cgo_calls: " + v.keySet());
    }

    /**
     * A restart of the client_golang task's container: a new process (a new start time, counters from 0) at the same
     * task id, read again once discovery has its new port; no value on /q/metrics or in Mackerel is ever negative.
     */
    @Test
    @Order(4)
    void aRestartedClientGolangTaskContinuesWithItsOwnCounters() {
        Map<String, String> t = task(prom);
        double before = Scrapes.scrape().value("gostats_process_start_time_seconds", t).orElseThrow();
        prom.engine().cli("restart", "-t", "0", prom.name()).orThrow();
        Task restarted = prom.withCurrentPort();
        restarted.awaitHealthy(Duration.ofSeconds(20));
        Exposition e = Scrapes.await("a new start time of " + prom.name(), WITHIN, x -> x.value(
                "gostats_process_start_time_seconds", t).filter(v -> v != before).isPresent(),
                x -> "start time " + x.value("gostats_process_start_time_seconds", t));
        assertNotEquals(before, e.value("gostats_process_start_time_seconds", t).orElseThrow());
        assertTrue(e.value("gostats_gc_cycles_total", t).orElseThrow() < 1000, "the new process's own GC count");
        for (int i = 0; i < 5; i++) {
            e = Scrapes.cycles(1, Duration.ofSeconds(2));
            for (Exposition.Sample x : e.taskSamples()) {
                if (x.labels().get("task_id") != null && x.name().startsWith("gostats_")) {
                    assertTrue(x.value() >= 0 || Double.isNaN(x.value()), "negative: " + x);
                }
            }
        }
        mackerel.points().forEach((k, v) -> assertTrue(v >= 0, "negative in Mackerel: " + k + " = " + v));
    }
}
