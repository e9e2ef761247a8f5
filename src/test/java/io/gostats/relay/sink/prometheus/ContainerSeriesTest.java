package io.gostats.relay.sink.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.gostats.relay.TestData;
import io.gostats.relay.derive.ContainerDeriver;
import io.gostats.relay.model.container.ContainerRead;
import io.gostats.relay.collect.container.ContainerStatsParser;
import io.gostats.relay.model.TargetReport;
import io.gostats.relay.it.Exposition;
import io.gostats.relay.it.Exposition.Sample;

class ContainerSeriesTest {

    /** Samples by family (a counter's samples are named with _total), each family present even without samples. */
    static Map<String, List<Sample>> samples(SnapshotExposition.Text text) {
        Exposition e = SnapshotExpositionTest.parse(text);
        return e.types().keySet().stream().collect(Collectors.toMap(
                t -> t.endsWith("_total") ? t.substring(0, t.length() - "_total".length()) : t, e::named));
    }

    static List<String> values(Sample s) {
        return List.copyOf(s.labels().values());
    }

    @Test
    void containerSeriesCarryTheGostatsLabelsOfTheContainersTarget() {
        TargetReport a = SnapshotExpositionTest.up("a", 32768);
        String id = a.target().identity().containerId();
        var reports = new ContainerDeriver().derive(List.of(new ContainerRead.Read(id,
                ContainerStatsParser.parse(TestData.bytes("containerstats/docker-v1-a.json")))), List.of(a.target()),
                Map.of(a.target().id(), 1));
        var f = samples(SnapshotExposition.render(SnapshotExpositionTest.snapshot(1, a).withContainers(reports)));
        List<String> gostatsLabels = values(f.get("gostats_up").get(0));

        List<Sample> cpu = f.get("gostats_container_cpu_usage_seconds");
        assertEquals(2, cpu.size());
        assertEquals("gostats_container_cpu_usage_seconds_total", cpu.get(0).name());
        assertEquals(concat(gostatsLabels, "user"), values(cpu.get(0)));
        assertEquals(40.0, cpu.get(0).value());
        assertEquals(concat(gostatsLabels, "system"), values(cpu.get(1)));
        assertEquals(10.0, cpu.get(1).value());

        Map<String, Double> expected = Map.of(
                "gostats_container_cpu_throttled_seconds", 0.5,
                "gostats_container_memory_usage_bytes", 240_000_000.0,
                "gostats_container_memory_cache_bytes", 100_000_000.0,
                "gostats_container_memory_limit_bytes", 536_870_912.0,
                "gostats_container_network_receive_bytes", 10_000_500.0,
                "gostats_container_network_transmit_bytes", 20_000_700.0,
                "gostats_container_blkio_read_bytes", 1_100_000.0,
                "gostats_container_blkio_write_bytes", 2_000_000.0);
        expected.forEach((name, v) -> {
            assertEquals(1, f.get(name).size(), name);
            assertEquals(v, f.get(name).get(0).value(), name);
            assertEquals(gostatsLabels, values(f.get(name).get(0)), name);
            assertEquals(name.endsWith("bytes") && !name.contains("memory") || name.endsWith("seconds")
                    ? name + "_total" : name, f.get(name).get(0).name());
        });
    }

    @Test
    void aFigureTheEngineDoesNotReportHasNoSample() {
        TargetReport a = SnapshotExpositionTest.up("a", 32768);
        String id = a.target().identity().containerId();
        var reports = new ContainerDeriver().derive(List.of(new ContainerRead.Read(id, ContainerStatsParser.parse(
                TestData.bytes("containerstats/podman-4.3-v1-holder-2.json")))), List.of(a.target()),
                Map.of(a.target().id(), 1));
        var f = samples(SnapshotExposition.render(SnapshotExpositionTest.snapshot(1, a).withContainers(reports)));
        assertTrue(f.get("gostats_container_memory_cache_bytes").isEmpty());
        assertTrue(f.get("gostats_container_cpu_throttled_seconds").isEmpty());
        assertEquals(71_172_096.0, f.get("gostats_container_memory_usage_bytes").get(0).value());
    }

    @Test
    void noContainersNoContainerFamilies() {
        var f = SnapshotExposition.render(SnapshotExpositionTest.snapshot(1, SnapshotExpositionTest.up("a", 1)));
        assertTrue(SnapshotExpositionTest.parse(f).types().keySet().stream()
                .noneMatch(x -> x.startsWith("gostats_container_")));
    }

    private static List<String> concat(List<String> a, String b) {
        return java.util.stream.Stream.concat(a.stream(), java.util.stream.Stream.of(b)).toList();
    }
}
