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
                List.of(t9090, t8080));
        assertEquals(1, r.size());
        assertEquals(t8080, r.get(0).target());
        List<ContainerReport> next = d.derive(List.of(new ContainerRead.Read(id,
                ContainerStatsParserTest.sample("docker-v1-b"))), List.of(t9090, t8080));
        assertEquals(60, v(next.get(0).metrics(), ContainerFigure.CPU_TOTAL_PERCENT), E);
    }
}
