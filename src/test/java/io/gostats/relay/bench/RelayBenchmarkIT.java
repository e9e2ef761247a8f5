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
 * smallest size as a smoke test, in the bench profile at every size, writing BENCHMARKS.md. It checks that every size
 * produced figures; the figures themselves are for people to read, never asserted.
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
            assertEquals(0, r.failedFetches(), "every fetch of a measured cycle works: " + r);
            assertTrue(r.cycleMedianMs() >= 0 && r.cycleMeanMs() > 0, "cycle times: " + r);
            assertTrue(r.cpuPerCycleMs() > 0 && r.rssBytes() > 0 && r.heapUsedBytes() > 0, "relay process: " + r);
            assertTrue(r.startToReadyMs() > 0 && r.renderMedianMs() > 0 && r.renderBytes() > 0, "relay: " + r);
            assertTrue(r.sequentialMs() > 0 && r.floorRequestsPerSecond() > 0, "references: " + r);
        }
        String md = Files.readString(output);
        for (int n : sizes) {
            assertTrue(md.contains("\n| " + n + " | "), "a row for " + n + " targets in " + output);
        }
    }
}
