package io.gostats.relay.derive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import org.junit.jupiter.api.Test;

import io.gostats.relay.model.Target;
import io.gostats.relay.model.TaskIdentity;
import io.gostats.relay.model.container.ContainerReport;
import io.gostats.relay.model.container.ContainerFigure;
import io.gostats.relay.model.container.ContainerRead;
import io.gostats.relay.model.container.ContainerStats;
import io.gostats.relay.model.container.ContainerMetrics;
import io.gostats.relay.collect.container.ContainerStatsParserTest;

class ContainerDeriverTest {

    static final double E = 1e-6;

    static Target target(String containerId, int port) {
        TaskIdentity id = TaskIdentity.of(containerId, "c-" + containerId.substring(0, 4), Map.of());
        return new Target(containerId + ":" + port, "127.0.0.1", 30000 + port, "/stats", port, id);
    }

    static double v(ContainerMetrics m, ContainerFigure f) {
        OptionalDouble d = m.get(f);
        assertTrue(d.isPresent(), f + " absent");
        return d.getAsDouble();
    }

    @Test
    void dockerV1RatesBetweenTwoReadsOfThisRelay() {
        ContainerStats a = ContainerStatsParserTest.sample("docker-v1-a");
        ContainerStats b = ContainerStatsParserTest.sample("docker-v1-b");
        ContainerMetrics first = ContainerDeriver.figures("x", a, Optional.empty());
        assertFalse(first.get(ContainerFigure.CPU_TOTAL_PERCENT).isPresent(), "no rate from one read");
        ContainerMetrics m = ContainerDeriver.figures("x", b, Optional.of(first));
        // 60 s apart: +30 s user, +6 s kernel
        assertEquals(50, v(m, ContainerFigure.CPU_USER_PERCENT), E);
        assertEquals(10, v(m, ContainerFigure.CPU_SYSTEM_PERCENT), E);
        assertEquals(60, v(m, ContainerFigure.CPU_TOTAL_PERCENT), E);
        assertEquals(3.5, v(m, ContainerFigure.CPU_THROTTLED_SECONDS), E);
        assertEquals(5, v(m, ContainerFigure.CPU_THROTTLED_PERCENT), E);
        assertEquals(100_000, v(m, ContainerFigure.NETWORK_RX_BYTES_PER_SECOND), E);
        assertEquals(200_000, v(m, ContainerFigure.NETWORK_TX_BYTES_PER_SECOND), E);
        assertEquals(100_000, v(m, ContainerFigure.BLKIO_READ_BYTES_PER_SECOND), E);
        assertEquals(0, v(m, ContainerFigure.BLKIO_WRITE_BYTES_PER_SECOND), E);
        // usage without total_inactive_file, as docker stats shows it
        assertEquals(320_000_000 - 60_000_000, v(m, ContainerFigure.MEMORY_USAGE_BYTES), E);
        assertEquals(100_000_000, v(m, ContainerFigure.MEMORY_CACHE_BYTES), E);
        assertEquals(150_000_000, v(m, ContainerFigure.MEMORY_RSS_BYTES), E);
        assertEquals(536_870_912, v(m, ContainerFigure.MEMORY_LIMIT_BYTES), E);
        assertEquals(700, v(m, ContainerFigure.BLKIO_READ_OPS), E);
    }

    @Test
    void dockerV2MemoryAndBlkio() {
        ContainerMetrics m = ContainerDeriver.figures("x", ContainerStatsParserTest.sample("docker-v2-a"),
                Optional.empty());
        assertEquals(200_000_000 - 40_000_000, v(m, ContainerFigure.MEMORY_USAGE_BYTES), E);
        assertEquals(70_000_000, v(m, ContainerFigure.MEMORY_CACHE_BYTES), E);
        assertEquals(120_000_000, v(m, ContainerFigure.MEMORY_RSS_BYTES), E);
        assertEquals(4_096_000, v(m, ContainerFigure.BLKIO_READ_BYTES), E);
        assertFalse(m.get(ContainerFigure.BLKIO_SYNC_BYTES).isPresent(), "v2 has no sync op");
        assertFalse(m.get(ContainerFigure.BLKIO_READ_OPS).isPresent(), "v2 has no io_serviced");
        assertFalse(m.get(ContainerFigure.CPU_THROTTLED_SECONDS).isPresent(), "no CFS period elapsed");
    }

    @Test
    void podmanUsesWallTimeAndLeavesOutWhatItDoesNotReport() {
        ContainerMetrics first = ContainerDeriver.figures("b", ContainerStatsParserTest.sample("podman-4.3-v1-burn-1"),
                Optional.empty());
        ContainerStats second = ContainerStatsParserTest.sample("podman-4.3-v1-burn-2");
        ContainerMetrics m = ContainerDeriver.figures("b", second, Optional.of(first));
        double seconds = Duration.between(first.readAt(), second.read()).toNanos() / 1e9;
        double cpuSeconds = (6_590_700_167L - 4_121_635_663L) / 1e9;
        assertEquals(cpuSeconds / seconds * 100, v(m, ContainerFigure.CPU_TOTAL_PERCENT), 1e-3);
        // the busy-loop app was told to burn half a core; the machine is shared, so it got less
        assertTrue(v(m, ContainerFigure.CPU_TOTAL_PERCENT) > 20 && v(m, ContainerFigure.CPU_TOTAL_PERCENT) < 60);
        assertFalse(m.get(ContainerFigure.CPU_THROTTLED_SECONDS).isPresent(), "podman's zeros are no throttling data");
        assertFalse(m.get(ContainerFigure.MEMORY_CACHE_BYTES).isPresent());
        assertFalse(m.get(ContainerFigure.MEMORY_RSS_BYTES).isPresent());
        assertEquals(2_056_192, v(m, ContainerFigure.MEMORY_USAGE_BYTES), E);
        assertEquals(0, v(m, ContainerFigure.BLKIO_READ_BYTES), E);
    }

    /** Two reads of the throttled Docker task, 7.2 s apart: it gets its quota (30 % of a core), throttled meanwhile. */
    @Test
    void dockerEngineThrottlingBetweenTwoReads() {
        ContainerStats a = ContainerStatsParserTest.sample("docker-20.10-v1-throttled-1");
        ContainerStats b = ContainerStatsParserTest.sample("docker-20.10-v1-throttled-2");
        ContainerMetrics m = ContainerDeriver.figures("q", b, Optional.of(ContainerDeriver.figures("q", a,
                Optional.empty())));
        double seconds = Duration.between(a.read(), b.read()).toNanos() / 1e9;
        assertEquals((8_317_877_567L - 6_164_148_907L) / 1e9 / seconds * 100, v(m, ContainerFigure.CPU_TOTAL_PERCENT),
                1e-6);
        assertEquals(30, v(m, ContainerFigure.CPU_TOTAL_PERCENT), 1.5, "--cpus 0.3");
        assertEquals((8_542_228_905L - 5_938_585_587L) / 1e9 / seconds * 100,
                v(m, ContainerFigure.CPU_THROTTLED_PERCENT), 1e-6);
        assertEquals(286, v(m, ContainerFigure.CPU_PERIODS), E);
        assertEquals(254, v(m, ContainerFigure.CPU_THROTTLED_PERIODS), E);
        assertEquals(8.542228905, v(m, ContainerFigure.CPU_THROTTLED_SECONDS), E);
    }

    /** The task under {@code -m 256m} holding 96 MiB: the usage {@code docker stats} printed right after. */
    @Test
    void dockerEngineMemoryAsDockerStatsShowsIt() throws Exception {
        ContainerMetrics m = ContainerDeriver.figures("h", ContainerStatsParserTest.sample("docker-20.10-v1-limit-2"),
                Optional.empty());
        String line = io.gostats.relay.TestData.text("containerstats/docker-20.10-v1-docker-stats.txt").lines()
                .filter(l -> l.startsWith("ecs-res-hold-1-app-limit\t")).findFirst().orElseThrow();
        // ecs-res-hold-1-app-limit	0.00%	101.1MiB / 256MiB
        String usage = line.split("\t")[2].split(" / ")[0];
        double shown = Double.parseDouble(usage.replace("MiB", "")) * 1024 * 1024;
        assertEquals(shown, v(m, ContainerFigure.MEMORY_USAGE_BYTES), 0.1 * 1024 * 1024, usage);
        assertEquals(256 * 1024 * 1024, v(m, ContainerFigure.MEMORY_LIMIT_BYTES), E);
        assertEquals(105_250_816, v(m, ContainerFigure.MEMORY_RSS_BYTES), E);
        assertEquals(0, v(m, ContainerFigure.MEMORY_CACHE_BYTES), E);
        assertFalse(m.get(ContainerFigure.CPU_THROTTLED_SECONDS).isPresent(), "no quota: no CFS period elapsed");
    }

    @Test
    void aCounterThatWentDownCountsFromZero() {
        ContainerMetrics b = ContainerDeriver.figures("x", ContainerStatsParserTest.sample("docker-v1-b"),
                Optional.empty());
        ContainerStats restarted = ContainerStatsParserTest.sample("docker-v1-a");
        ContainerMetrics later = new ContainerMetrics("x", restarted.read().minusSeconds(100), b.figures());
        ContainerMetrics m = ContainerDeriver.figures("x", restarted, Optional.of(later));
        assertEquals(40.0 / 100 * 100, v(m, ContainerFigure.CPU_USER_PERCENT), E);
    }

    @Test
    void oneReportPerContainerCarryingItsFirstTarget() {
        String id = "3f4e5d6c7b8a99887766554433221100ffeeddccbbaa99887766554433221100";
        Target t9090 = target(id, 9090);
        Target t8080 = target(id, 8080);
        ContainerDeriver d = new ContainerDeriver();
        List<ContainerReport> r = d.derive(List.of(new ContainerRead.Read(id,
                ContainerStatsParserTest.sample("docker-v1-a")), new ContainerRead.Failed("other", "gone")),
                List.of(t9090, t8080), Map.of(t9090.id(), 1, t8080.id(), 2));
        assertEquals(1, r.size());
        assertEquals(t8080, r.get(0).target());
        assertEquals(2, r.get(0).slot(), "the slot of that target");
        List<ContainerReport> next = d.derive(List.of(new ContainerRead.Read(id,
                ContainerStatsParserTest.sample("docker-v1-b"))), List.of(t9090, t8080),
                Map.of(t9090.id(), 1, t8080.id(), 2));
        assertEquals(60, v(next.get(0).metrics(), ContainerFigure.CPU_TOTAL_PERCENT), E);
    }
}
