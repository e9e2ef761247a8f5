package io.gostats.relay.sink.mackerel.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.gostats.relay.LogCapture;
import io.gostats.relay.model.Target;
import io.gostats.relay.model.TargetReport;

class TaskKeysTest {

    static final Target API_1 = Targets.ecs("a1", "api", "t1", 8080, 32768);
    static final Target API_2 = Targets.ecs("a2", "api", "t2", 8080, 32769);
    static final Target API_3 = Targets.ecs("a3", "api", "t3", 8080, 32770);
    static final Target WEB = Targets.ecs("w1", "web", "t4", 8080, 32771);

    /** Targets with slots 1, 2, 3... in the order given. */
    static List<TargetReport> slotted(Target... targets) {
        return java.util.stream.IntStream.range(0, targets.length)
                .mapToObj(i -> Targets.slotted(targets[i], i + 1)).toList();
    }

    @Test
    void theDefaultIsFamilyAndTheSnapshotsSlot() {
        TaskKeys keys = new TaskKeys("");
        assertEquals(Map.of(API_1.id(), "api-3", API_2.id(), "api-2", WEB.id(), "web-1"),
                keys.keys(List.of(Targets.slotted(WEB, 1), Targets.slotted(API_2, 2), Targets.slotted(API_1, 3))));
        assertEquals(Map.of(API_3.id(), "api-3", API_2.id(), "api-2"),
                new TaskKeys(null).keys(List.of(Targets.slotted(API_2, 2), Targets.slotted(API_3, 3))),
                "a redeployed task that took the slot draws the same line");
    }

    @Test
    void twoPortsOfOneFamilyNeverShareAKey() {
        Target admin1 = Targets.ecs("a1", "api", "t1", 9090, 32780);
        Target admin2 = Targets.ecs("a2", "api", "t2", 9090, 32781);
        Map<String, String> keys = new TaskKeys(" ").keys(List.of(Targets.slotted(API_1, 1),
                Targets.slotted(API_2, 2), Targets.slotted(admin1, 1), Targets.slotted(admin2, 2),
                Targets.slotted(WEB, 1)));
        assertEquals(Map.of(API_1.id(), "api-8080-1", API_2.id(), "api-8080-2", admin1.id(), "api-9090-1",
                admin2.id(), "api-9090-2", WEB.id(), "web-1"), keys);
    }

    @Test
    void aTemplateIsRenderedPerTarget() {
        assertEquals(Map.of(API_1.id(), "32768", WEB.id(), "32771"),
                new TaskKeys("{port}").keys(slotted(API_1, WEB)));
        assertEquals(Map.of(API_1.id(), "api-t1-1", API_2.id(), "api-t2-2"),
                new TaskKeys("{family}-{task_short}-{slot}").keys(slotted(API_1, API_2)));
    }

    @Test
    void aBadTemplateIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TaskKeys("{family}-{revision}"));
    }

    @Test
    void collidingKeysGetSuffixesAndOneWarning() {
        TaskKeys keys = new TaskKeys("{family}");
        try (LogCapture log = LogCapture.of(TaskKeys.class)) {
            for (int cycle = 0; cycle < 3; cycle++) {
                assertEquals(Map.of(API_1.id(), "api", API_2.id(), "api-2", API_3.id(), "api-3", WEB.id(), "web"),
                        keys.keys(slotted(API_3, WEB, API_2, API_1)));
            }
            assertEquals(1, log.warnings().size(), log.warnings().toString());
            assertTrue(log.warnings().get(0).contains("'api'") && log.warnings().get(0).contains(API_3.id()),
                    log.warnings().get(0));
            keys.keys(slotted(API_1, API_2));
            assertEquals(2, log.warnings().size(), "a different collision is reported anew");
        }
    }

    @Test
    void aSuffixNeverTakesAnotherTargetsKey() {
        Target ecs1 = Targets.of("a", "ecs-x-1", Map.of(Targets.ECS_CONTAINER, "api"), 8080, 32768);
        Target ecs2 = Targets.of("b", "ecs-x-2", Map.of(Targets.ECS_CONTAINER, "api"), 8080, 32769);
        Target plain = Targets.of("c", "api-2", Map.of(), 8080, 32770);
        Map<String, String> keys = new TaskKeys("{container}").keys(slotted(ecs1, ecs2, plain));
        assertEquals(Map.of(ecs1.id(), "api", ecs2.id(), "api-3", plain.id(), "api-2"), keys);
        assertEquals(3, new HashSet<>(keys.values()).size());
    }
}
