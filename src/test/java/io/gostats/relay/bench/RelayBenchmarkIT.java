package io.gostats.relay.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Runs the benchmark against the packaged relay (Failsafe, after {@code package}): in the e2e profile at its
 * smallest size with few cycles as a smoke test, in the bench profile at every size, writing BENCHMARKS.md. It checks
 * that every size and format produced figures from working fetches and scrapes, and that every launch's cold starts
 * were measured; the figures themselves are for people to read, never asserted.
 */
@Tag("e2e")
class RelayBenchmarkIT {

    @Test
    void everySizeProducesFigures() throws Exception {
        List<Integer> sizes = RelayBenchmark.sizes("10");
        Path output = Path.of(System.getProperty("bench.output",
                RelayBenchmark.projectDir().resolve("target/bench/BENCHMARKS.md").toString()));
        RelayBenchmark bench = RelayBenchmark.configured();

        List<SizeResult> results = bench.run(sizes);
        bench.writeReport(results, output);

        assertEquals(sizes, results.stream().map(SizeResult::targets).toList());
        for (SizeResult r : results) {
            for (RelayFigures f : List.of(r.goStats(), r.clientGolang(), r.expvar())) {
                assertEquals(0, f.failed(), "every fetch of a measured cycle works: " + r);
                assertTrue(f.cycleMedianMs() >= 0 && f.meanMs() > 0, "cycle times: " + f);
                assertTrue(f.cpuNanos() > 0 && f.rss() > 0 && f.heapUsed() > 0, "relay process: " + f);
                assertTrue(f.readyMs() > 0 && f.renderMs() > 0 && f.renderBytes() > 0, "relay: " + f);
            }
            assertTrue(r.sequentialMs() > 0 && r.floorRequestsPerSecond() > 0, "references: " + r);
            assertEquals(r.targets(), r.prometheus().up(), "Prometheus scraped every target: " + r.prometheus());
            assertTrue(r.prometheus().cpuNanos() > 0 && r.prometheus().rss() > 0
                    && r.prometheus().scrapeMeanMs() > 0, "Prometheus: " + r.prometheus());
        }
        assertEquals(bench.jvms().stream().map(ColdStarts.Jvm::label).toList(),
                bench.coldStarts().stream().map(ColdStarts.Figures::label).toList());
        for (ColdStarts.Figures c : bench.coldStarts()) {
            assertTrue(c.pluginWallMs() > 0 && c.pluginCpuMs() > 0 && c.readyMs() > 0, "cold starts: " + c);
        }
        String md = Files.readString(output);
        for (int n : sizes) {
            assertTrue(md.contains("\n| " + n + " | "), "a row for " + n + " targets in " + output);
        }
    }
}
