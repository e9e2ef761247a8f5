package io.gostats.relay.collect.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

import io.gostats.relay.TestData;
import io.gostats.relay.model.container.ContainerStats;

public class ContainerStatsParserTest {

    public static ContainerStats sample(String name) {
        return ContainerStatsParser.parse(TestData.bytes("containerstats/" + name + ".json"));
    }

    @Test
    void dockerCgroupV1() {
        ContainerStats s = sample("docker-v1-a");
        assertEquals(Instant.parse("2026-11-24T10:00:00Z"), s.read());
        assertEquals(50_000_000_000L, s.cpu().total());
        assertEquals(OptionalLong.of(40_000_000_000L), s.cpu().user());
        assertEquals(OptionalLong.of(10_000_000_000L), s.cpu().kernel());
        assertEquals(Optional.of(new ContainerStats.Throttling(1000, 10, 500_000_000)), s.cpu().throttling());
        assertEquals(OptionalLong.of(300_000_000), s.memory().orElseThrow().usage());
        assertEquals(OptionalLong.of(536_870_912), s.memory().orElseThrow().limit());
        assertEquals(60_000_000L, s.memory().orElseThrow().stats().get("total_inactive_file"));
        // two interfaces, summed
        assertEquals(new ContainerStats.Network(10_000_500, 20_000_700), s.network().orElseThrow());
        // two devices, summed per operation (kernel op names lower-cased)
        Map<String, Long> bytes = s.blkio().serviceBytes().orElseThrow();
        assertEquals(1_100_000L, bytes.get("read"));
        assertEquals(2_000_000L, bytes.get("write"));
        assertEquals(2_600_000L, bytes.get("sync"));
        assertEquals(100L, s.blkio().serviced().orElseThrow().get("read"));
        assertEquals(2L, s.blkio().queued().orElseThrow().get("write"));
    }

    @Test
    void dockerCgroupV2HasOnlyReadAndWriteBytesAndNoOtherBlkioLists() {
        ContainerStats s = sample("docker-v2-a");
        assertEquals(Map.of("read", 4_096_000L, "write", 8_192_000L), s.blkio().serviceBytes().orElseThrow());
        assertEquals(Optional.empty(), s.blkio().serviced());
        assertEquals(Optional.empty(), s.blkio().queued());
        assertEquals(120_000_000L, s.memory().orElseThrow().stats().get("anon"));
        assertEquals(OptionalLong.of(200_000_000), s.memory().orElseThrow().usage());
    }

    @Test
    void podmanHasNoMemoryStatsMapAndEmptyBlkio() {
        ContainerStats s = sample("podman-4.3-v1-holder-2");
        assertEquals(OptionalLong.of(71_172_096), s.memory().orElseThrow().usage());
        assertEquals(OptionalLong.of(268_435_456), s.memory().orElseThrow().limit());
        assertTrue(s.memory().orElseThrow().stats().isEmpty());
        assertEquals(Map.of(), s.blkio().serviceBytes().orElseThrow());
        assertEquals(new ContainerStats.Network(612, 1156), s.network().orElseThrow());
    }

    @Test
    void aStoppedContainersZeroedRecordIsNoStats() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> ContainerStatsParser.parse(TestData.bytes("containerstats/docker-stopped.json")));
        assertTrue(e.getMessage().contains("does not run"), e.getMessage());
    }

    /** Recorded from Debian's docker.io 20.10 on cgroup v1: a task under {@code --cpus 0.3} burning half a core. */
    @Test
    void dockerEngineReportsThrottlingUnderAQuotaAndTheWholeMemoryStat() {
        ContainerStats s = sample("docker-20.10-v1-throttled-1");
        assertEquals(Instant.parse("2026-12-01T18:17:01.00986523Z"), s.read());
        assertEquals(6_164_148_907L, s.cpu().total());
        // cgroup v1 cpuacct.stat counts in USER_HZ ticks: multiples of 10 ms
        assertEquals(OptionalLong.of(5_990_000_000L), s.cpu().user());
        assertEquals(OptionalLong.of(170_000_000L), s.cpu().kernel());
        assertEquals(Optional.of(new ContainerStats.Throttling(214, 182, 5_938_585_587L)), s.cpu().throttling());
        ContainerStats.Memory m = s.memory().orElseThrow();
        assertEquals(OptionalLong.of(1_937_408), m.usage());
        // no memory limit: the host's memory
        assertEquals(OptionalLong.of(25_275_953_152L), m.limit());
        assertTrue(m.stats().keySet().containsAll(java.util.Set.of("total_rss", "total_cache", "total_inactive_file",
                "cache", "rss")), m.stats().keySet().toString());
        assertEquals(new ContainerStats.Network(656, 0), s.network().orElseThrow());
        assertEquals(Map.of(), s.blkio().serviceBytes().orElseThrow());
    }

    @Test
    void dockerEngineWithHostNetworkingReportsNoNetworks() {
        ContainerStats s = sample("docker-20.10-v1-host");
        assertEquals(Optional.empty(), s.network());
        assertEquals(Optional.of(new ContainerStats.Throttling(0, 0, 0)), s.cpu().throttling());
    }

    /** Docker answers 200 for a stopped container until it is removed (404 after): the record of a task stop. */
    @Test
    void dockerEnginesRecordOfAStoppedContainerIsNoStats() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> ContainerStatsParser.parse(TestData.bytes("containerstats/docker-20.10-stopped.json")));
        assertEquals(ContainerStatsParser.DOES_NOT_RUN, e.getMessage());
        // an ordinary stop racing a cycle: no warning, as for a container removed meanwhile (404)
        assertTrue(ContainerReads.stoppedOrGone(e.getMessage()));
        assertTrue(ContainerReads.stoppedOrGone("HTTP 404 (container gone)"));
        assertFalse(ContainerReads.stoppedOrGone("HTTP 500"));
        assertFalse(ContainerReads.stoppedOrGone("no stats within 5000 ms"));
    }

    /** A read whose socket is gone (dockerd stopped after this cycle's listing) is told apart from other failures. */
    @Test
    void aReadThatNeverReachedTheEngineSaysSo(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        try (var engine = new io.gostats.relay.docker.DockerEngine("unix://" + dir.resolve("gone.sock"),
                java.time.Duration.ofSeconds(2), 1)) {
            DockerStatsReader r = new DockerStatsReader(engine.raw(), 1 << 20);
            var e = assertThrows(java.io.IOException.class, () -> r.read("0123456789ab"));
            assertTrue(e.getMessage().startsWith(DockerStatsReader.UNREACHABLE), e.getMessage());
        }
    }

    @Test
    void malformedRepliesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> ContainerStatsParser.parse("[1]".getBytes()));
        assertThrows(IllegalArgumentException.class, () -> ContainerStatsParser.parse("{\"read\":".getBytes()));
    }
}
