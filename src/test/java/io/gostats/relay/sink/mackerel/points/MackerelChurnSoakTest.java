package io.gostats.relay.sink.mackerel.points;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.gostats.relay.Churn;
import io.gostats.relay.model.Snapshot;
import io.gostats.relay.sink.mackerel.api.MetricValue;
import io.gostats.relay.derive.TaskSlots;
import io.gostats.relay.sink.mackerel.keys.TaskKeys;

/**
 * 10,000 task replacements through the Deriver and the Mackerel batches (default keys with slots, and task-id keys
 * under a task cap): per-task state stays at the current task count, the slot file at the tasks a family runs at once,
 * and no value is negative or absurd through restarts and gc_num wraps.
 */
class MackerelChurnSoakTest {

    @Test
    void tenThousandReplacementsLeaveNoStateBehind(@TempDir Path slotsDir) throws Exception {
        Churn churn = new Churn(40, 5);
        churn.deriver().useSlots(TaskSlots.kept(slotsDir, java.util.Optional.empty()));
        MackerelBatches slotted = new MackerelBatches("gostats", false, new TaskKeys(null), 0);
        MackerelBatches capped = new MackerelBatches("gostats", false, new TaskKeys("{task_id}"), 10);
        long heapBefore = usedHeapAfterGc();
        long values = 0;
        while (churn.replacements() < 10_000) {
            Snapshot s = churn.next();
            for (MackerelBatches b : new MackerelBatches[] { slotted, capped }) {
                var batch = b.accept(s).orElseThrow();
                for (MetricValue v : batch.values()) {
                    assertTrue(Double.isFinite(v.value()) && v.value() >= 0 && v.value() < 1e12,
                            "cycle " + s.sequence() + ": " + v);
                }
                values += batch.values().size();
                assertEquals(churn.slots(), b.trackedTasks(), "cycle " + s.sequence());
            }
            assertEquals(churn.slots(), churn.deriver().stateSize());
        }
        long heapAfter = usedHeapAfterGc();
        JsonNode slots = new ObjectMapper().readTree(Files.readAllBytes(slotsDir.resolve(TaskSlots.FILE)));
        System.out.printf("Mackerel churn soak: %d replacements, %d values; key slots kept: %d; used heap after GC "
                + "%d KB before, %d KB after%n", churn.replacements(), values, slots.get("slots").size(),
                heapBefore / 1024, heapAfter / 1024);
        assertEquals(churn.slots(), slots.get("slots").size(), "one slot per task a family runs at once");
    }

    static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        return rt.totalMemory() - rt.freeMemory();
    }
}
