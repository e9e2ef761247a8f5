package io.gostats.relay.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.gostats.relay.it.Exposition;
import io.gostats.relay.sink.mackerel.api.FakeMackerel;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Container resource stats against real containers: one keeps half a core busy under a smaller CPU quota, one holds
 * memory under a limit; their numbers on /q/metrics and in the Mackerel posts must show it, and agree with the
 * engine's own {@code stats --no-stream}. The Docker Engine reports CFS throttling and the cgroup's memory.stat
 * (cache, rss); podman reports neither: each engine's run asserts what it must and must not show
 * ({@link ContainerStatsOnDockerE2ETest}, {@link ContainerStatsOnPodmanE2ETest}). The timing bounds are lenient: the
 * machine is shared, so the busy loop gets less than it asks for when others run.
 */
@Tag("e2e")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class ContainerStatsE2ETest {

    static final double MIB = 1024 * 1024;

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("relay.interval", "2s");
        }
    }

    FakeMackerel mackerel;

    @ConfigProperty(name = "e2e.burn")
    String burnSpec;

    @ConfigProperty(name = "e2e.hold")
    String holdSpec;

    @ConfigProperty(name = "e2e.setup-error")
    Optional<String> setupError;

    @ConfigProperty(name = "e2e.engine")
    String engineId;

    Engine engine;
    Task burn;
    Task hold;

    @BeforeEach
    void init() {
        TasksResource.setupError(setupError)
                .ifPresent(why -> fail("end-to-end setup failed (nothing was tested): " + why));
        engine = Engine.of(engineId);
        burn = Task.parse(burnSpec);
        hold = Task.parse(holdSpec);
    }

    static Exposition scrape() {
        return Exposition.parse(given().get("/q/metrics").asString());
    }

    static double value(Exposition e, String name, Task t, Map<String, String> more) {
        Map<String, String> labels = new TreeMap<>(t.seriesLabels());
        labels.putAll(more);
        return e.value(name, labels).orElseThrow(() -> new AssertionError("no " + name + " " + labels + " in\n"
                + e.text().lines().filter(l -> l.startsWith("gostats_container")).collect(Collectors.joining("\n"))));
    }

    static double cpuSeconds(Exposition e, Task t) {
        return value(e, "gostats_container_cpu_usage_seconds_total", t, Map.of("mode", "user"))
                + value(e, "gostats_container_cpu_usage_seconds_total", t, Map.of("mode", "system"));
    }

    @Test
    @Order(1)
    void prometheusShowsTheBurnedCpuAndTheHeldMemoryAsTheEnginesStatsDoes() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Exposition first = scrape();
        while (first.named("gostats_container_cpu_usage_seconds_total").size() < 4 && System.nanoTime() < deadline) {
            Thread.sleep(500);
            first = scrape();
        }
        long t1 = System.nanoTime();
        double burn1 = cpuSeconds(first, burn);
        double hold1 = cpuSeconds(first, hold);
        Thread.sleep(12_000);
        Exposition second = scrape();
        double seconds = (System.nanoTime() - t1) / 1e9;
        double burnPercent = (cpuSeconds(second, burn) - burn1) / seconds * 100;
        double holdPercent = (cpuSeconds(second, hold) - hold1) / seconds * 100;
        double heldBytes = value(second, "gostats_container_memory_usage_bytes", hold, Map.of());
        double limit = value(second, "gostats_container_memory_limit_bytes", hold, Map.of());
        double burnCpuTotal = cpuSeconds(second, burn);

        Map<String, EngineStats> stats = engineStats();
        double engineHeld = stats.get(hold.name()).memUsageBytes();
        System.out.printf("container-stats e2e on %s: burn (-burn %.1f, --cpus %s): relay %.1f %% of a core over"
                + " %.1f s, CPU time %.2f s; %s stats: CPU %s%n", engine, ContainerStatsTasksResource.BURN_CORES,
                ContainerStatsTasksResource.QUOTA_CPUS, burnPercent, seconds, burnCpuTotal, engine.id(),
                stats.get(burn.name()).cpu());
        System.out.printf("container-stats e2e on %s: hold (-hold-mib %d, -m %dm): relay %.2f MiB of %.0f MiB,"
                + " %.1f %% CPU; %s stats: %s (%.2f MiB), CPU %s%n", engine, ContainerStatsTasksResource.HOLD_MIB,
                ContainerStatsTasksResource.LIMIT_MIB, heldBytes / MIB, limit / MIB, holdPercent, engine.id(),
                stats.get(hold.name()).memUsage(), engineHeld / MIB, stats.get(hold.name()).cpu());

        double quotaPercent = Double.parseDouble(ContainerStatsTasksResource.QUOTA_CPUS) * 100;
        assertTrue(burnPercent > 10 && burnPercent < quotaPercent * 1.15,
                "burning half a core under a quota of " + quotaPercent + " %: " + burnPercent + " %");
        assertTrue(holdPercent < 10, "the memory holder is idle: " + holdPercent + " %");
        assertTrue(heldBytes >= ContainerStatsTasksResource.HOLD_MIB * MIB
                && heldBytes < (ContainerStatsTasksResource.HOLD_MIB + 64) * MIB, "held: " + heldBytes / MIB + " MiB");
        assertEquals(ContainerStatsTasksResource.LIMIT_MIB * MIB, limit);
        assertEquals(engineHeld, heldBytes, engineHeld * 0.05, "same cgroup usage as " + engine.id() + " stats shows");

        List<Exposition.Sample> throttled = second.named("gostats_container_cpu_throttled_seconds_total");
        if (engine == Engine.DOCKER) {
            // the quota throttles the burner in most periods: seconds of throttled time within the 12 s
            double throttledSeconds = value(second, "gostats_container_cpu_throttled_seconds_total", burn, Map.of())
                    - value(first, "gostats_container_cpu_throttled_seconds_total", burn, Map.of());
            System.out.printf("container-stats e2e on %s: burn throttled %.2f s in %.1f s%n", engine,
                    throttledSeconds, seconds);
            assertTrue(throttledSeconds > 0.5, "Docker reports CFS throttling under --cpus "
                    + ContainerStatsTasksResource.QUOTA_CPUS + ": " + throttledSeconds + " s in " + seconds + " s");
            assertTrue(throttled.stream().noneMatch(s -> hold.taskId().equals(s.labels().get("task_id"))),
                    "no quota, no throttling series for the holder: " + throttled);
            assertTrue(value(second, "gostats_container_memory_cache_bytes", hold, Map.of()) >= 0,
                    "Docker reports memory.stat: the cache is shown");
        } else {
            assertTrue(throttled.isEmpty(), "podman reports throttling as zeros: no series rather than 0: "
                    + throttled);
            assertTrue(second.named("gostats_container_memory_cache_bytes").isEmpty(), "podman reports no cache");
        }
    }

    record EngineStats(String cpu, String memUsage, double memUsageBytes) {
    }

    /** The engine's own {@code stats --no-stream} by container name (Docker's waits ~2 s for a second sample). */
    Map<String, EngineStats> engineStats() {
        Map<String, EngineStats> byName = new TreeMap<>();
        if (engine == Engine.DOCKER) {
            Cmd.Result r = engine.cli("stats", "--no-stream", "--format", "{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}")
                    .orThrow();
            System.out.println("container-stats e2e: docker stats --no-stream:\n" + r.stdout());
            for (String line : r.stdout().strip().split("\n")) {
                String[] p = line.split("\t");
                byName.put(p[0], new EngineStats(p[1], p[2], bytes(p[2].split("/")[0].strip())));
            }
        } else {
            // podman 4.3: ID  NAME  CPU %  MEM USAGE / LIMIT  MEM %  NET IO  BLOCK IO  PIDS  CPU TIME  AVG CPU %
            Cmd.Result r = engine.cli("stats", "--no-stream").orThrow();
            System.out.println("container-stats e2e: podman stats --no-stream:\n" + r.stdout());
            r.stdout().lines().skip(1).map(l -> l.strip().split("\\s{2,}")).filter(p -> p.length >= 9)
                    .forEach(p -> byName.put(p[1], new EngineStats(p[2], p[3],
                            bytes(p[3].split("/")[0].strip()))));
        }
        return byName;
    }

    /** podman's decimal sizes (71.17MB, 2.318kB, 1.2GB) and Docker's binary ones (96.5MiB, 1.2GiB, 512KiB). */
    static double bytes(String s) {
        Matcher m = Pattern.compile("([0-9.]+)\\s*([kKMG]i?B|B)").matcher(s);
        assertTrue(m.matches(), s);
        double v = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "kB" -> v * 1e3;
            case "MB" -> v * 1e6;
            case "GB" -> v * 1e9;
            case "KiB" -> v * 1024;
            case "MiB" -> v * MIB;
            case "GiB" -> v * MIB * 1024;
            default -> v;
        };
    }

    /** Up to two minute boundaries: the first minute's read is the baseline of the CPU percentage. */
    @Test
    @Order(2)
    void mackerelGetsThePluginsGraphsAndTheRelaysOnTheTasksGostatsKey() throws InterruptedException {
        String burnKey = ContainerStatsTasksResource.BURN_FAMILY + "-1";
        String holdKey = ContainerStatsTasksResource.HOLD_FAMILY + "-1";
        String cpuUser = "custom.docker.cpuacct_percentage." + burnKey + ".user";
        long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
        Map<String, Double> minute = latestMinuteWith(cpuUser);
        while (minute.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(1000);
            minute = latestMinuteWith(cpuUser);
        }
        assertTrue(!minute.isEmpty(), "no CPU percentage in 150 s; names: "
                + new java.util.TreeSet<>(mackerel.points().keySet().stream().map(k -> k.name()).toList()));
        double cpu = minute.get(cpuUser) + minute.get("custom.docker.cpuacct_percentage." + burnKey + ".system");
        System.out.printf("container-stats e2e on " + engine + ": Mackerel minute: burn CPU %.1f %% (user %.1f), hold usage %.2f MiB%n",
                cpu, minute.get(cpuUser), minute.get("custom.gostats_container.memory." + holdKey + ".usage") / MIB);
        assertTrue(cpu > 10 && cpu < 80, "burning half a core under a quota: " + cpu);
        assertTrue(minute.containsKey("custom.gostats." + burnKey + ".runtime.goroutine_num"), "same key as gostats");
        assertTrue(minute.get("custom.gostats_container.memory." + holdKey + ".usage")
                >= ContainerStatsTasksResource.HOLD_MIB * MIB);
        assertEquals(ContainerStatsTasksResource.LIMIT_MIB * MIB,
                minute.get("custom.gostats_container.memory." + holdKey + ".limit"));
        assertTrue(minute.containsKey("custom.gostats_container.network." + holdKey + ".rx"));
        if (engine == Engine.DOCKER) {
            assertTrue(minute.get("custom.docker.memory." + holdKey + ".rss") >= ContainerStatsTasksResource.HOLD_MIB
                    * MIB * 0.9, "Docker's memory.stat: the holder's rss " + minute.get("custom.docker.memory."
                            + holdKey + ".rss"));
            assertTrue(minute.containsKey("custom.docker.memory." + holdKey + ".cache"), minute.keySet().toString());
            assertTrue(minute.get("custom.gostats_container.cpu_throttled." + burnKey + ".time") > 1,
                    "throttled time of the burner under its quota, % of the minute: "
                            + minute.get("custom.gostats_container.cpu_throttled." + burnKey + ".time"));
            assertTrue(mackerel.graphDefs().containsKey("custom.gostats_container.cpu_throttled.#"));
        } else {
            assertTrue(minute.keySet().stream().noneMatch(n -> n.startsWith("custom.docker.memory.")),
                    "podman sends no memory.stat: no cache/rss rather than zeros");
            assertTrue(minute.keySet().stream().noneMatch(n -> n.contains(".cpu_throttled.")),
                    "podman sends throttling as zeros: no throttling rather than zeros");
        }
        assertTrue(minute.get("custom.gostats_host.container_cpu.user") >= minute.get(cpuUser));
        assertTrue(mackerel.graphDefs().containsKey("custom.docker.cpuacct_percentage.#"));
        assertTrue(mackerel.graphDefs().containsKey("custom.gostats_container.network.#"));
    }

    Map<String, Double> latestMinuteWith(String name) {
        Map<Long, Map<String, Double>> byMinute = new TreeMap<>();
        mackerel.points().forEach((k, v) -> byMinute.computeIfAbsent(k.time(), x -> new TreeMap<>()).put(k.name(), v));
        return byMinute.values().stream().filter(m -> m.containsKey(name)).reduce((a, b) -> b).orElse(Map.of());
    }
}
