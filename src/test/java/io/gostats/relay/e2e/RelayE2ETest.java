package io.gostats.relay.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
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
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The relay in-process against real containers: a throw-away engine serving the Docker API (the Docker Engine in
 * {@link RelayOnDockerE2ETest}, podman in {@link RelayOnPodmanE2ETest}), Go processes serving /stats in containers
 * labelled like ECS tasks, and Debian's prometheus and promtool. Run with {@code ./mvnw verify -Pe2e}; a missing
 * tool fails the test, it never skips. The methods run in order and share the set of running tasks (the third
 * removes one and starts another).
 */
@Tag("e2e")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class RelayE2ETest {

    static final Duration INTERVAL = Duration.ofSeconds(2);
    /** A change in the containers shows on /q/metrics within this: the next cycle, with room for a slow machine. */
    static final Duration CHANGE_WITHIN = INTERVAL.multipliedBy(3).plusSeconds(3);

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("relay.interval", INTERVAL.toSeconds() + "s",
                    "quarkus.log.category.\"io.gostats.relay.cycle.Relay\".level", "DEBUG");
        }
    }

    static final List<String> LABELS = List.of("target", "port", "container", "task_id", "task_family",
            "task_revision", "ecs_container", "cluster", "slot");

    /** Exposed series and the /stats key each must equal, exactly. */
    static final Map<String, String> SAME_AS_STATS = new LinkedHashMap<>();
    static {
        SAME_AS_STATS.put("gostats_goroutines", "goroutine_num");
        SAME_AS_STATS.put("gostats_gomaxprocs", "gomaxprocs");
        SAME_AS_STATS.put("gostats_memory_alloc_bytes", "memory_alloc");
        SAME_AS_STATS.put("gostats_memory_sys_bytes", "memory_sys");
        SAME_AS_STATS.put("gostats_memory_stack_bytes", "memory_stack");
        SAME_AS_STATS.put("gostats_heap_sys_bytes", "heap_sys");
        SAME_AS_STATS.put("gostats_heap_idle_bytes", "heap_idle");
        SAME_AS_STATS.put("gostats_heap_inuse_bytes", "heap_inuse");
        SAME_AS_STATS.put("gostats_heap_released_bytes", "heap_released");
        SAME_AS_STATS.put("gostats_heap_objects", "heap_objects");
        SAME_AS_STATS.put("gostats_gc_next_bytes", "gc_next");
        SAME_AS_STATS.put("gostats_gc_cycles_total", "gc_num");
        SAME_AS_STATS.put("gostats_cgo_calls_total", "cgo_call_num");
        SAME_AS_STATS.put("gostats_memory_mallocs_total", "memory_mallocs");
        SAME_AS_STATS.put("gostats_memory_frees_total", "memory_frees");
        SAME_AS_STATS.put("gostats_memory_lookups_total", "memory_lookups");
        SAME_AS_STATS.put("gostats_memory_allocated_bytes_total", "memory_total_alloc");
    }

    /** What Prometheus 2.42 sends when it scrapes. */
    static final String PROMETHEUS_ACCEPT = "application/openmetrics-text;version=1.0.0,"
            + "application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** The tasks that run now, as the relay must show them; the ignored container must never show. */
    static List<Task> tasks;
    static Task ignored;
    static Engine engine;
    static final Map<String, String> timings = new LinkedHashMap<>();
    static long firstTestStart;
    static PrometheusServer prometheus;
    /** relay_cycle_duration_seconds count and sum once all tasks showed: the cycles after it are steady ones. */
    static double cyclesAtStart = Double.NaN;
    static double cycleSecondsAtStart = Double.NaN;

    @TestHTTPResource("/q/metrics")
    URL metricsUrl;

    /** The strict fake Mackerel the relay posts to (injected by {@link TasksResource}). */
    FakeMackerel mackerel;

    @ConfigProperty(name = "e2e.engine")
    String engineId;

    @ConfigProperty(name = "e2e.tasks")
    String taskSpecs;

    @ConfigProperty(name = "e2e.ignored")
    String ignoredSpec;

    @ConfigProperty(name = "relay.discovery.docker.host")
    Optional<String> dockerHost;

    @ConfigProperty(name = "e2e.setup-error")
    Optional<String> setupError;

    @BeforeEach
    void init() {
        TasksResource.setupError(setupError)
                .ifPresent(why -> fail("end-to-end setup failed (nothing was tested): " + why));
        if (tasks == null) {
            engine = Engine.of(engineId);
            tasks = new ArrayList<>(Task.parseAll(taskSpecs));
            ignored = Task.parse(ignoredSpec);
            firstTestStart = System.nanoTime();
            assertEquals(3, tasks.size(), "tasks started by " + TasksResource.class.getSimpleName());
        }
    }

    /** The state the ordered methods share belongs to one engine's run: cleared for the next subclass. */
    @AfterAll
    static void stopPrometheus() {
        if (prometheus != null) {
            prometheus.close();
            prometheus = null;
        }
        tasks = null;
        ignored = null;
        engine = null;
        timings.clear();
        cyclesAtStart = Double.NaN;
        cycleSecondsAtStart = Double.NaN;
    }

    @Test
    @Order(1)
    void showsExactlyTheSelectedTasksWithTheirLabels() {
        long t0 = System.nanoTime();
        Exposition e = await("all " + tasks.size() + " tasks up on /q/metrics", CHANGE_WITHIN,
                ex -> upTargets(ex).equals(expectedTargets()) && ex.named("gostats_up").stream()
                        .allMatch(s -> s.value() == 1.0));
        timings.put("tasks shown", ms(System.nanoTime() - t0));
        cyclesAtStart = e.value("relay_cycle_duration_seconds_count", Map.of()).orElseThrow();
        cycleSecondsAtStart = e.value("relay_cycle_duration_seconds_sum", Map.of()).orElseThrow();

        List<Exposition.Sample> up = e.named("gostats_up");
        assertEquals(tasks.size(), up.size(), "gostats_up series: " + up);
        for (Task t : tasks) {
            List<Exposition.Sample> mine = up.stream().filter(s -> withoutSlot(s.labels()).equals(t.seriesLabels()))
                    .toList();
            assertEquals(1, mine.size(), "one gostats_up with exactly " + t.seriesLabels() + "; got " + up);
            assertEquals(1.0, mine.get(0).value(), "gostats_up of " + t.name());
        }
        assertNotShown(e, ignored);
        for (Exposition.Sample s : e.taskSamples()) {
            List<String> keys = List.copyOf(s.labels().keySet());
            if (s.name().equals("gostats_info") || s.name().equals("gostats_fetch_errors_total")
                    || s.name().equals("gostats_container_cpu_usage_seconds_total")) {
                keys = keys.subList(0, LABELS.size());
            }
            assertEquals(LABELS, keys, "label names of " + s);
            Map<String, String> own = new LinkedHashMap<>(s.labels());
            own.keySet().retainAll(LABELS);
            assertTrue(own.get("slot").matches("[1-9][0-9]*"), "a slot: " + s);
            own.remove("slot");
            assertTrue(tasks.stream().anyMatch(t -> t.seriesLabels().equals(own)),
                    "labels of " + s + " are those of one of the tasks " + tasks);
        }
        assertEquals(tasks.size(), e.named("gostats_goroutines").size(), "gostats_goroutines: one per task");
        assertEquals((double) tasks.size(), e.value("relay_targets", Map.of("state", "up")).orElseThrow());
        assertEquals(0.0, e.value("relay_targets", Map.of("state", "down")).orElseThrow());
        String source = "docker " + dockerHost.orElseThrow();
        assertEquals(1.0, e.value("relay_discovery_up", Map.of("source", source)).orElseThrow(
                () -> new AssertionError("no relay_discovery_up{source=\"" + source + "\"} in\n"
                        + e.named("relay_discovery_up"))));
    }

    @Test
    @Order(2)
    void valuesAreWhatEachGoProcessServed() throws IOException {
        long t0 = System.nanoTime();
        compareWithLastStats(tasks);
        timings.put("values checked", ms(System.nanoTime() - t0));
    }

    @Test
    @Order(3)
    void aStoppedTaskDisappearsAndAStartedOneAppears() throws IOException {
        Task gone = tasks.get(0);
        long t0 = System.nanoTime();
        tasks.remove(gone);
        gone.remove();
        long removed = System.nanoTime();
        Exposition e = await(gone.name() + " gone from /q/metrics after rm on " + engine, CHANGE_WITHIN,
                ex -> ex.taskSamples().stream().noneMatch(s -> isOf(s, gone)));
        timings.put("stopped task gone", ms(System.nanoTime() - removed) + " (rm " + ms(removed - t0) + ")");
        assertEquals(expectedTargets(), upTargets(e), "the other tasks stay");
        assertTrue(e.named("gostats_up").stream().allMatch(s -> s.value() == 1.0),
                "others up: " + e.named("gostats_up"));

        long t1 = System.nanoTime();
        Task fresh = Task.start(engine, TasksResource.CLUSTER, TasksResource.FAMILY, "4", "api", 55, false);
        long started = System.nanoTime();
        tasks.add(fresh);
        e = await(fresh.name() + " up on /q/metrics after run on " + engine, CHANGE_WITHIN,
                ex -> ex.value("gostats_up", fresh.seriesLabels()).orElse(0.0) == 1.0
                        && ex.value("gostats_goroutines", fresh.seriesLabels()).isPresent());
        timings.put("started task shown", ms(System.nanoTime() - started) + " (run " + ms(started - t1) + ")");
        assertEquals(expectedTargets(), upTargets(e));
        assertEquals(fresh.expectedGoroutines(), e.value("gostats_goroutines", fresh.seriesLabels()).orElseThrow(),
                "goroutines of the new task (-goroutines " + fresh.goroutines() + ")");
        assertNotShown(e, gone);
        assertNotShown(e, ignored);
        compareWithLastStats(List.of(fresh));
    }

    @Test
    @Order(4)
    void prometheusScrapesThePerTaskSeries() throws IOException {
        int relayPort = metricsUrl.getPort();
        long t0 = System.nanoTime();
        prometheus = PrometheusServer.start(relayPort);
        prometheus.awaitReady(Duration.ofSeconds(30));
        long ready = System.nanoTime();
        Set<String> wanted = tasks.stream().map(Task::taskId).collect(Collectors.toCollection(TreeSet::new));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode result = null;
        Set<String> seen = Set.of();
        while (System.nanoTime() < deadline) {
            result = prometheus.query("gostats_up");
            seen = new TreeSet<>();
            for (JsonNode series : result) {
                seen.add(series.path("metric").path("task_id").asText());
            }
            if (seen.equals(wanted)) {
                break;
            }
            Task.sleep(250);
        }
        timings.put("prometheus ready", ms(ready - t0));
        timings.put("prometheus series", ms(System.nanoTime() - ready));
        assertEquals(wanted, seen, "task_id of gostats_up in Prometheus; last result " + result
                + "\ntargets: " + prometheus.targets() + "\nlog:\n" + prometheus.log());
        for (JsonNode series : result) {
            JsonNode m = series.path("metric");
            Task t = tasks.stream().filter(x -> x.taskId().equals(m.path("task_id").asText())).findFirst()
                    .orElseThrow();
            assertEquals("gostats-relay", m.path("job").asText(), series.toString());
            assertEquals("127.0.0.1:" + relayPort, m.path("instance").asText(), series.toString());
            for (Map.Entry<String, String> l : t.seriesLabels().entrySet()) {
                assertEquals(l.getValue(), m.path(l.getKey()).asText(), l.getKey() + " of " + series);
            }
            assertEquals("1", series.path("value").path(1).asText(), series.toString());
        }
        JsonNode up = prometheus.query("up{job=\"gostats-relay\"}");
        assertEquals(1, up.size(), up.toString());
        assertEquals("1", up.path(0).path("value").path(1).asText(), "Prometheus' scrape of the relay: " + up);
        JsonNode goroutines = prometheus.query("gostats_goroutines");
        assertEquals(tasks.size(), goroutines.size(), goroutines.toString());
        for (JsonNode series : goroutines) {
            Task t = tasks.stream().filter(x -> x.taskId().equals(series.path("metric").path("task_id").asText()))
                    .findFirst().orElseThrow();
            assertEquals(Integer.toString(t.expectedGoroutines()), series.path("value").path(1).asText(),
                    "gostats_goroutines of " + t.name() + " in Prometheus");
        }
        prometheus.close();
        prometheus = null;
    }

    @Test
    @Order(5)
    void promtoolAcceptsTheRelaysOwnFamilies() {
        String text = scrape().text();
        StringBuilder own = new StringBuilder();
        for (String line : text.split("\n")) {
            String name = line.startsWith("# ") ? line.split(" ")[2] : line.split("[{ ]")[0];
            if (name.startsWith("gostats_") || name.startsWith("relay_")) {
                own.append(line).append('\n');
            }
        }
        assertTrue(own.indexOf("gostats_up{") >= 0 && own.indexOf("relay_cycle_duration_seconds") >= 0, own.toString());
        promtoolCheckMetrics(own.toString(), "q-metrics-relay-only.txt");
    }

    @Test
    @Order(6)
    void promtoolAcceptsTheWholeExposition() {
        promtoolCheckMetrics(scrape().text(), "q-metrics.txt");
    }

    @Test
    @Order(6)
    void promtoolAcceptsTheShippedScrapeConfig() {
        Cmd.Result r = Cmd.run(Duration.ofSeconds(30), "",
                List.of("promtool", "check", "config", "deploy/prometheus/prometheus.yml"));
        assertTrue(r.ok() && r.stdout().contains("SUCCESS"), r.stdout() + r.stderr());
    }

    /** {@code promtool check metrics} (parse and lint) on {@code text}; fails with what it says. */
    static void promtoolCheckMetrics(String text, String saveAs) {
        Path saved = Path.of("target", "e2e", saveAs);
        try {
            Files.createDirectories(saved.getParent());
            Files.writeString(saved, text);
        } catch (IOException e) {
            saved = null;
        }
        Cmd.Result r = Cmd.run(Duration.ofSeconds(30), text, List.of("promtool", "check", "metrics"));
        if (!r.ok()) {
            String out = (r.stdout() + r.stderr()).strip();
            StringBuilder lines = new StringBuilder();
            Matcher m = Pattern.compile("line (\\d+)").matcher(out);
            String[] all = text.split("\n", -1);
            while (m.find()) {
                int n = Integer.parseInt(m.group(1));
                if (n >= 1 && n <= all.length) {
                    lines.append("\n  line ").append(n).append(": ").append(all[n - 1]);
                }
            }
            fail("promtool check metrics rejects " + (saveAs.equals("q-metrics.txt") ? "/q/metrics" : saveAs)
                    + " (exit " + r.exit() + (r.exit() == 3 ? ": lint problems" : "") + "):\n" + out + lines
                    + (saved == null ? "" : "\n(the exposition is in " + saved.toAbsolutePath() + ")"));
        }
    }

    /**
     * Waits for a minute in which Mackerel got every running task's 15 metrics (up to two minutes: the first minute
     * boundary, then this host's offset in the minute). Keys are {@code {family}-{slot}}: the task started in place of
     * the stopped one took its slot.
     */
    @Test
    @Order(8)
    void mackerelGetsEveryTasksMetricsTheHostSumsAndTheGraphsOnce() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
        Map<String, Map<String, Double>> found = latestCompleteMinute();
        while (found.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(500);
            found = latestCompleteMinute();
        }
        Map<String, Map<String, Double>> minute = found;
        assertTrue(!minute.isEmpty(), "no minute with 3 tasks x 15 metrics in 150 s; got "
                + new TreeSet<>(mackerel.points().keySet().stream().map(k -> k.name()).toList()));
        Set<String> keys = new TreeSet<>(minute.keySet());
        keys.remove("_host");
        assertEquals(Set.of(FAMILY_KEY + "-1", FAMILY_KEY + "-2", FAMILY_KEY + "-3"), keys, "dense, stable slots");
        Set<Double> goroutines = new HashSet<>();
        for (String key : keys) {
            assertEquals(15, minute.get(key).size(), key + ": " + minute.get(key).keySet());
            goroutines.add(minute.get(key).get("runtime.goroutine_num"));
        }
        assertEquals(tasks.stream().map(t -> (double) t.expectedGoroutines()).collect(Collectors.toSet()), goroutines);
        Map<String, Double> host = minute.get("_host");
        for (String path : minute.get(FAMILY_KEY + "-1").keySet()) {
            double sum = keys.stream().mapToDouble(k -> minute.get(k).get(path)).sum();
            assertEquals(sum, host.get(path), Math.abs(sum) * 1e-12, "host sum of " + path);
        }
        assertEquals(3.0, host.get("tasks.running"));
        assertEquals(5 + 3 + 6 + 4, mackerel.graphDefs().size(), "gostats 5, process 3, host sums 6, container sums 4: "
                + mackerel.graphDefs().keySet());
        assertEquals(1, mackerel.requestCount(FakeMackerel.GRAPH_DEFS), "graph definitions posted once");
        timings.put("mackerel minute complete", ms(System.nanoTime() - firstTestStart));
    }

    static final String FAMILY_KEY = TasksResource.FAMILY;

    /** The newest minute holding 3 task keys with all 15 metrics: key ("_host" for the sums) -> path -> value. */
    Map<String, Map<String, Double>> latestCompleteMinute() {
        Map<Long, Map<String, Map<String, Double>>> byMinute = new java.util.TreeMap<>();
        mackerel.points().forEach((k, v) -> {
            if (!k.name().startsWith("custom.gostats.") && !k.name().startsWith("custom.gostats_host.")) {
                return; // container stats (ContainerStatsE2ETest)
            }
            String[] parts = k.name().split("\\.", 4);
            String key = parts[1].equals("gostats_host") ? "_host" : parts[2];
            String path = parts[1].equals("gostats_host") ? k.name().substring("custom.gostats_host.".length())
                    : parts[3];
            byMinute.computeIfAbsent(k.time(), t -> new java.util.TreeMap<>())
                    .computeIfAbsent(key, x -> new java.util.TreeMap<>()).put(path, v);
        });
        return byMinute.values().stream()
                .filter(m -> m.size() == 4 && m.entrySet().stream()
                        .allMatch(e -> e.getKey().equals("_host") || e.getValue().size() == 15))
                .reduce((a, b) -> b).orElse(Map.of());
    }

    @Test
    @Order(7)
    void cyclesStayWellWithinTheInterval() {
        Exposition e = scrape();
        double count = e.value("relay_cycle_duration_seconds_count", Map.of()).orElseThrow();
        double sum = e.value("relay_cycle_duration_seconds_sum", Map.of()).orElseThrow();
        double max = e.value("relay_cycle_duration_seconds_max", Map.of()).orElseThrow();
        double steadyCount = count - cyclesAtStart;
        double steadyMean = (sum - cycleSecondsAtStart) / steadyCount;
        String summary = String.format(
                "gostats-relay e2e on %s: %d tasks (+1 not selected), interval %ds, %d cycles: mean %.1f ms over the"
                        + " last %d, max %.1f ms (first cycle included); %s; %.1f s since the first test",
                engine, tasks.size(), INTERVAL.toSeconds(), (long) count, 1000 * steadyMean, (long) steadyCount,
                1000 * max, timings.entrySet().stream().map(x -> x.getKey() + " " + x.getValue())
                        .collect(Collectors.joining(", ")),
                (System.nanoTime() - firstTestStart) / 1e9);
        System.out.println(summary);
        assertTrue(steadyCount >= 3, "cycles since all tasks showed: " + steadyCount);
        assertTrue(steadyMean < INTERVAL.toSeconds() / 4.0,
                "a cycle of " + tasks.size() + " idle local tasks took " + steadyMean + " s on average");
    }

    // ---------------------------------------------------------------------------------------------------------

    /**
     * Compares the relay's series of each task with the exact bytes the task served to the relay's last fetch
     * ({@code /debug/last-stats}). A read counts only when both scrapes around it show the same cycle and the same
     * values and the next cycle cannot have started (its wall-clock boundary has not passed): then the last /stats
     * reply each task served is the one that cycle shows. A mismatch in such a read is a failure; other reads retry.
     */
    void compareWithLastStats(List<Task> which) throws IOException {
        String why = "";
        for (int attempt = 1; attempt <= 6; attempt++) {
            double cycle = awaitNextCycle();
            Task.sleep(100);
            Exposition before = scrape();
            Map<Task, JsonNode> served = new LinkedHashMap<>();
            for (Task t : which) {
                Task.Reply r = t.get("/debug/last-stats");
                assertEquals(200, r.status(), t.name() + ": /debug/last-stats (404: the relay never fetched it) "
                        + r.body());
                served.put(t, JSON.readTree(r.body()));
            }
            Exposition after = scrape();
            long doneMs = System.currentTimeMillis();
            double cycleAfter = cycleTime(after);
            if (cycle != cycleTime(before) || cycleAfter != cycle) {
                why = "cycles " + cycle + ", " + cycleTime(before) + ", " + cycleAfter;
                continue;
            }
            if (!before.taskSamples().equals(after.taskSamples())) {
                why = "gostats_* changed between two scrapes of cycle " + cycle;
                continue;
            }
            if (doneMs >= (long) (cycle * 1000) + INTERVAL.toMillis() - 50) {
                why = "reads ended " + (doneMs - (long) (cycle * 1000)) + " ms after cycle " + cycle + " began";
                continue;
            }
            List<String> wrong = new ArrayList<>();
            for (Map.Entry<Task, JsonNode> en : served.entrySet()) {
                wrong.addAll(mismatches(after, en.getKey(), en.getValue()));
            }
            if (!wrong.isEmpty()) {
                fail("the relay's series differ from what the tasks served it (cycle " + cycle + "):\n  "
                        + String.join("\n  ", wrong));
            }
            Set<Double> goroutines = new HashSet<>();
            for (Task t : which) {
                goroutines.add(after.value("gostats_goroutines", t.seriesLabels()).orElseThrow());
            }
            assertEquals(which.size(), goroutines.size(), "each task has its own goroutine count: " + goroutines);
            return;
        }
        fail("no consistent read of /q/metrics around /debug/last-stats in 6 cycles; last: " + why);
    }

    private static List<String> mismatches(Exposition e, Task t, JsonNode stats) {
        List<String> wrong = new ArrayList<>();
        Map<String, String> labels = t.seriesLabels();
        for (Map.Entry<String, String> m : SAME_AS_STATS.entrySet()) {
            JsonNode v = stats.get(m.getValue());
            if (v == null || !v.isNumber()) {
                wrong.add(t.name() + ": /stats has no number " + m.getValue() + ": " + stats);
                continue;
            }
            Double shown = e.value(m.getKey(), labels).orElse(null);
            if (shown == null || shown != v.asDouble()) {
                wrong.add(t.name() + ": " + m.getKey() + " = " + shown + ", served " + m.getValue() + " = " + v);
            }
        }
        double expected = t.expectedGoroutines();
        if (stats.path("goroutine_num").asDouble() != expected) {
            wrong.add(t.name() + ": served goroutine_num " + stats.path("goroutine_num") + ", expected " + expected
                    + " (3 + -goroutines " + t.goroutines() + (t.churn() ? " + 1 churn" : "") + ")");
        }
        Map<String, String> info = new LinkedHashMap<>(labels);
        info.put("go_version", stats.path("go_version").asText());
        info.put("go_os", stats.path("go_os").asText());
        info.put("go_arch", stats.path("go_arch").asText());
        if (e.value("gostats_info", info).orElse(0.0) != 1.0) {
            wrong.add(t.name() + ": no gostats_info " + info + " = 1; have " + e.named("gostats_info"));
        }
        double pause = e.value("gostats_gc_pause_seconds_total", labels).orElse(-1.0);
        double lastPause = stats.path("gc_pause_per_second").asDouble() / 1000.0;
        if (pause < lastPause * (1 - 1e-9)) {
            wrong.add(t.name() + ": gostats_gc_pause_seconds_total " + pause + " < the last reply's "
                    + lastPause + " s");
        }
        if (t.churn() && stats.path("gc_num").asLong() == 0) {
            wrong.add(t.name() + ": runs -churn but served gc_num 0");
        }
        return wrong;
    }

    /** Waits until {@code relay_last_cycle_timestamp_seconds} moves on; returns the new value. */
    double awaitNextCycle() {
        double first = cycleTime(scrape());
        long deadline = System.nanoTime() + INTERVAL.multipliedBy(2).plusSeconds(3).toNanos();
        while (System.nanoTime() < deadline) {
            double now = cycleTime(scrape());
            if (now != first) {
                return now;
            }
            Task.sleep(25);
        }
        return fail("no new cycle within " + INTERVAL.multipliedBy(2).plusSeconds(3) + " after " + first);
    }

    static double cycleTime(Exposition e) {
        return e.value("relay_last_cycle_timestamp_seconds", Map.of())
                .orElseThrow(() -> new AssertionError("no relay_last_cycle_timestamp_seconds"));
    }

    /**
     * GET /q/metrics as Prometheus gets it: its Accept header names text/plain, so Quarkus answers in the text format
     * 0.0.4 (without an Accept header, or with curl's {@code *}{@code /*}, it answers OpenMetrics instead).
     */
    Exposition scrape() {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(metricsUrl.toString()))
                    .header("Accept", PROMETHEUS_ACCEPT).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), "GET /q/metrics: " + r.body());
            String type = r.headers().firstValue("Content-Type").orElse("");
            assertTrue(type.startsWith("text/plain; version=0.0.4"), "Content-Type of /q/metrics: " + type);
            return Exposition.parse(r.body());
        } catch (IOException e) {
            throw new AssertionError("GET " + metricsUrl + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Scrapes until {@code done} holds; fails after {@code max}, showing the last gostats_up series. */
    Exposition await(String what, Duration max, Predicate<Exposition> done) {
        long deadline = System.nanoTime() + max.toNanos();
        Exposition e;
        do {
            e = scrape();
            if (done.test(e)) {
                return e;
            }
            Task.sleep(100);
        } while (System.nanoTime() < deadline);
        return fail("not within " + max + ": " + what + "; expected targets " + expectedTargets()
                + ", last gostats_up:\n  " + e.named("gostats_up").stream().map(Object::toString)
                        .collect(Collectors.joining("\n  "))
                + "\nrelay_discovery_up: " + e.named("relay_discovery_up"));
    }

    static Set<String> upTargets(Exposition e) {
        return e.named("gostats_up").stream().map(s -> s.labels().get("target"))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    static Set<String> expectedTargets() {
        return tasks.stream().map(Task::target).collect(Collectors.toCollection(TreeSet::new));
    }

    static boolean isOf(Exposition.Sample s, Task t) {
        return t.target().equals(s.labels().get("target")) || t.name().equals(s.labels().get("container"))
                || t.taskId().equals(s.labels().get("task_id"));
    }

    static void assertNotShown(Exposition e, Task t) {
        List<Exposition.Sample> shown = e.taskSamples().stream().filter(s -> isOf(s, t)).toList();
        assertTrue(shown.isEmpty(), t.name() + " (" + t.family() + ", " + t.target() + ") must not be shown: "
                + shown);
    }

    static String ms(long nanos) {
        return (nanos / 1_000_000) + " ms";
    }

    /** The labels but the slot, which depends on the order the tasks were first seen in. */
    static Map<String, String> withoutSlot(Map<String, String> labels) {
        Map<String, String> l = new LinkedHashMap<>(labels);
        l.remove("slot");
        return l;
    }
}
