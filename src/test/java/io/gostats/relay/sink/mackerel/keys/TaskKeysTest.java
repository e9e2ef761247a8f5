package io.gostats.relay.sink.mackerel.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.gostats.relay.LogCapture;
import io.gostats.relay.model.Target;

class TaskKeysTest {

    @TempDir
    Path dir;

    static final Target API_1 = Targets.ecs("a1", "api", "t1", 8080, 32768);
    static final Target API_2 = Targets.ecs("a2", "api", "t2", 8080, 32769);
    static final Target API_3 = Targets.ecs("a3", "api", "t3", 8080, 32770);
    static final Target WEB = Targets.ecs("w1", "web", "t4", 8080, 32771);

    @Test
    void theDefaultIsFamilyAndSlot() {
        TaskKeys keys = new TaskKeys("", dir);
        assertEquals(Map.of(API_1.id(), "api-1", API_2.id(), "api-2", WEB.id(), "web-1"),
                keys.keys(List.of(WEB, API_2, API_1)));
        assertEquals(Map.of(API_3.id(), "api-1", API_2.id(), "api-2", WEB.id(), "web-1"),
                keys.keys(List.of(WEB, API_2, API_3)), "a redeployed task draws the same line");
        assertEquals(Map.of(API_3.id(), "api-1", API_2.id(), "api-2"),
                new TaskKeys(null, dir).keys(List.of(API_2, API_3)), "across a restart");
    }

    @Test
    void twoPortsOfOneFamilyNeverShareAKey() {
        Target admin1 = Targets.ecs("a1", "api", "t1", 9090, 32780);
        Target admin2 = Targets.ecs("a2", "api", "t2", 9090, 32781);
        Map<String, String> keys = new TaskKeys(" ", dir).keys(List.of(API_1, API_2, admin1, admin2, WEB));
        assertEquals(Map.of(API_1.id(), "api-8080-1", API_2.id(), "api-8080-2", admin1.id(), "api-9090-1",
                admin2.id(), "api-9090-2", WEB.id(), "web-1"), keys);
    }

    @Test
    void aTemplateIsRenderedPerTarget() {
        assertEquals(Map.of(API_1.id(), "32768", WEB.id(), "32771"),
                new TaskKeys("{port}", dir).keys(List.of(API_1, WEB)));
        assertEquals(Map.of(API_1.id(), "api-t1-1", API_2.id(), "api-t2-2"),
                new TaskKeys("{family}-{task_short}-{slot}", dir.resolve("other")).keys(List.of(API_1, API_2)));
    }

    @Test
    void withoutSlotNothingIsNumberedNorWritten() {
        new TaskKeys("{family}-{task_id}", dir.resolve("state")).keys(List.of(API_1, API_2));
        assertFalse(Files.exists(dir.resolve("state")));
    }

    @Test
    void aBadTemplateIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TaskKeys("{family}-{revision}", dir));
    }

    @Test
    void collidingKeysGetSuffixesAndOneWarning() {
        TaskKeys keys = new TaskKeys("{family}", dir);
        try (LogCapture log = LogCapture.of(TaskKeys.class)) {
            for (int cycle = 0; cycle < 3; cycle++) {
                assertEquals(Map.of(API_1.id(), "api", API_2.id(), "api-2", API_3.id(), "api-3", WEB.id(), "web"),
                        keys.keys(List.of(API_3, WEB, API_2, API_1)));
            }
            assertEquals(1, log.warnings().size(), log.warnings().toString());
            assertTrue(log.warnings().get(0).contains("'api'") && log.warnings().get(0).contains(API_3.id()),
                    log.warnings().get(0));
            keys.keys(List.of(API_1, API_2));
            assertEquals(2, log.warnings().size(), "a different collision is reported anew");
        }
    }

    @Test
    void aSuffixNeverTakesAnotherTargetsKey() {
        Target ecs1 = Targets.of("a", "ecs-x-1", Map.of(Targets.ECS_CONTAINER, "api"), 8080, 32768);
        Target ecs2 = Targets.of("b", "ecs-x-2", Map.of(Targets.ECS_CONTAINER, "api"), 8080, 32769);
        Target plain = Targets.of("c", "api-2", Map.of(), 8080, 32770);
        Map<String, String> keys = new TaskKeys("{container}", dir).keys(List.of(ecs1, ecs2, plain));
        assertEquals(Map.of(ecs1.id(), "api", ecs2.id(), "api-3", plain.id(), "api-2"), keys);
        assertEquals(3, new HashSet<>(keys.values()).size());
    }
}
