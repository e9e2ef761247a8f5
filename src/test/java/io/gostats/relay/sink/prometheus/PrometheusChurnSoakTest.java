package io.gostats.relay.sink.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.gostats.relay.Churn;
import io.gostats.relay.model.Snapshot;
import io.gostats.relay.it.Exposition;

/**
 * 10,000 task replacements through the Deriver and the Prometheus exposition: the series are exactly those of the
 * current tasks every cycle, and no value is negative or absurd through restarts in place and gc_num wraps.
 */
class PrometheusChurnSoakTest {

    @Test
    void tenThousandReplacementsLeaveNoSeriesBehind() {
        Churn churn = new Churn(40, 5);
        SnapshotExposition exposition = new SnapshotExposition();
        long heapBefore = usedHeapAfterGc();
        long samples = 0;
        while (churn.replacements() < 10_000) {
            Snapshot s = churn.next();
            exposition.update(s);
            Exposition e = SnapshotExpositionTest.parse(exposition.text(false));
            for (String family : e.types().keySet()) {
                int n = e.named(family).size();
                assertTrue(n <= churn.slots(), family + ": " + n);
            }
            for (Exposition.Sample x : e.samples()) {
                assertTrue(Double.isFinite(x.value()) && x.value() >= 0 && x.value() < 1e12, x.toString());
                samples++;
            }
            assertEquals(s.targets().stream().map(t -> t.target().address()).sorted().toList(),
                    e.named("gostats_up").stream().map(x -> x.labels().get("target")).sorted().toList(),
                    "cycle " + s.sequence() + ": the series are the current tasks'");
            assertEquals(churn.slots(), churn.deriver().stateSize());
        }
        long heapAfter = usedHeapAfterGc();
        System.out.printf("Prometheus churn soak: %d replacements, %d samples rendered; used heap after GC %d KB "
                + "before, %d KB after%n", churn.replacements(), samples, heapBefore / 1024, heapAfter / 1024);
    }

    static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        return rt.totalMemory() - rt.freeMemory();
    }
}
