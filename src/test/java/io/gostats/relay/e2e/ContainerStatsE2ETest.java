package io.gostats.relay.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
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
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Container resource stats against real containers: one keeps half a core busy, one holds memory; their numbers on
 * /q/metrics and in the Mackerel posts must show it, and agree with {@code podman stats --no-stream}. The timing
 * bounds are lenient: the machine is shared, so the busy loop gets less than it asks for when others run.
 */
@QuarkusTest
@Tag("e2e")
@TestProfile(ContainerStatsE2ETest.Profile.class)
@WithTestResource(value = ContainerStatsTasksResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainerStatsE2ETest {

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

    Task burn;
    Task hold;

    @BeforeEach
    void init() {
        PodmanTasksResource.setupError(setupError)
                .ifPresent(why -> fail("end-to-end setup failed (nothing was tested): " + why));
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
    void prometheusShowsTheBurnedCpuAndTheHeldMemoryAsPodmanStatsDoes() throws InterruptedException {
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

        // podman 4.3: ID  NAME  CPU %  MEM USAGE / LIMIT  MEM %  NET IO  BLOCK IO  PIDS  CPU TIME  AVG CPU %
        Cmd.Result stats = PodmanEnv.podman("stats", "--no-stream").orThrow();
        System.out.println("container-stats e2e: podman stats --no-stream:\n" + stats.stdout());
        Map<String, String[]> podman = stats.stdout().lines().skip(1).map(l -> l.strip().split("\\s{2,}"))
                .filter(p -> p.length >= 9).collect(Collectors.toMap(p -> p[1], p -> p));
        double podmanHeld = bytes(podman.get(hold.name())[3].split("/")[0].strip());
        System.out.printf("container-stats e2e: burn (-burn %.1f): relay %.1f %% of a core over %.1f s, CPU time"
                + " %.2f s; podman stats: CPU %s (average since start), CPU time %s%n",
                ContainerStatsTasksResource.BURN_CORES, burnPercent, seconds, burnCpuTotal,
                podman.get(burn.name())[2], podman.get(burn.name())[8]);
        System.out.printf("container-stats e2e: hold (-hold-mib %d, -m %dm): relay %.2f MiB of %.0f MiB, %.1f %% CPU;"
                + " podman stats: %s (%.2f MiB), CPU %s%n", ContainerStatsTasksResource.HOLD_MIB,
                ContainerStatsTasksResource.LIMIT_MIB, heldBytes / MIB, limit / MIB, holdPercent,
                podman.get(hold.name())[3], podmanHeld / MIB, podman.get(hold.name())[2]);

        assertTrue(burnPercent > 15 && burnPercent < 80, "burning half a core: " + burnPercent + " %");
        assertTrue(holdPercent < 10, "the memory holder is idle: " + holdPercent + " %");
        assertTrue(heldBytes >= ContainerStatsTasksResource.HOLD_MIB * MIB
                && heldBytes < (ContainerStatsTasksResource.HOLD_MIB + 64) * MIB, "held: " + heldBytes / MIB + " MiB");
        assertEquals(ContainerStatsTasksResource.LIMIT_MIB * MIB, limit);
        assertEquals(podmanHeld, heldBytes, podmanHeld * 0.05, "same cgroup usage as podman stats shows");
        assertTrue(second.named("gostats_container_memory_cache_bytes").isEmpty(), "podman reports no cache");
    }

    /** podman's decimal sizes: 71.17MB, 2.318kB, 1.2GB. */
    static double bytes(String s) {
        Matcher m = Pattern.compile("([0-9.]+)\\s*([kMG]?B)").matcher(s);
        assertTrue(m.matches(), s);
        double v = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "kB" -> v * 1e3;
            case "MB" -> v * 1e6;
            case "GB" -> v * 1e9;
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
        System.out.printf("container-stats e2e: Mackerel minute: burn CPU %.1f %% (user %.1f), hold usage %.2f MiB%n",
                cpu, minute.get(cpuUser), minute.get("custom.gostats_container.memory." + holdKey + ".usage") / MIB);
        assertTrue(cpu > 15 && cpu < 80, "burning half a core: " + cpu);
        assertTrue(minute.containsKey("custom.gostats." + burnKey + ".runtime.goroutine_num"), "same key as gostats");
        assertTrue(minute.get("custom.gostats_container.memory." + holdKey + ".usage")
                >= ContainerStatsTasksResource.HOLD_MIB * MIB);
        assertEquals(ContainerStatsTasksResource.LIMIT_MIB * MIB,
                minute.get("custom.gostats_container.memory." + holdKey + ".limit"));
        assertTrue(minute.containsKey("custom.gostats_container.network." + holdKey + ".rx"));
        assertTrue(minute.keySet().stream().noneMatch(n -> n.startsWith("custom.docker.memory.")),
                "podman sends no memory.stat: no cache/rss rather than zeros");
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
