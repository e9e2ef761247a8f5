package io.gostats.relay.derive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.gostats.relay.LogCapture;
import io.gostats.relay.model.Target;
import io.gostats.relay.sink.mackerel.keys.Targets;

class TaskSlotsTest {

    @TempDir
    Path dir;

    static Target task(int n) {
        return Targets.ecs("container" + n, "api", "task" + n, 8080, 32767 + n);
    }

    static Map<String, Integer> slots(Target... byNumber) {
        Map<String, Integer> m = new java.util.HashMap<>();
        for (int i = 0; i < byNumber.length; i++) {
            if (byNumber[i] != null) {
                m.put(byNumber[i].id(), i + 1);
            }
        }
        return m;
    }

    static TaskSlots kept(Path dir) {
        return TaskSlots.kept(dir, Optional.empty());
    }

    @Test
    void tasksReplacedOneByOneKeepTheNumbersDenseAndStable() {
        TaskSlots slots = kept(dir);
        assertEquals(slots(task(1)), slots.assign(List.of(task(1))));
        assertEquals(slots(task(1), task(2)), slots.assign(List.of(task(2), task(1))));
        assertEquals(slots(task(1), task(2), task(3)), slots.assign(List.of(task(1), task(2), task(3))));
        assertEquals(slots(task(1), null, task(3)), slots.assign(List.of(task(1), task(3))), "task 2 stopped");
        assertEquals(slots(task(1), task(4), task(3)), slots.assign(List.of(task(1), task(3), task(4))));
        assertEquals(slots(task(5), task(4), task(3)), slots.assign(List.of(task(3), task(4), task(5))),
                "task 1 replaced by 5 within one cycle");
        assertEquals(slots(task(5), task(4), task(6)), slots.assign(List.of(task(4), task(5), task(6))));
    }

    @Test
    void tasksStartedTogetherAreNumberedInTargetIdOrder() {
        assertEquals(slots(task(1), task(2), task(3)), kept(dir).assign(List.of(task(3), task(1), task(2))));
    }

    @Test
    void aRestartKeepsTheNumbers() {
        kept(dir).assign(List.of(task(1), task(2), task(3)));
        kept(dir).assign(List.of(task(1), task(3)));
        TaskSlots restarted = kept(dir);
        assertEquals(slots(task(1), task(4), task(3)), restarted.assign(List.of(task(3), task(4), task(1))));
    }

    @Test
    void aRestartThatFirstSeesNoTargetsDoesNotReshuffle() {
        TaskSlots before = kept(dir);
        before.assign(List.of(task(1), task(2), task(3)));
        before.assign(List.of(task(2), task(3)));
        TaskSlots restarted = kept(dir);
        assertEquals(Map.of(), restarted.assign(List.of()), "Docker not answering yet");
        assertEquals(slots(task(5), task(2), task(3)), restarted.assign(List.of(task(3), task(2), task(5))));
        assertEquals(slots(task(5), task(2), task(3)), kept(dir).assign(List.of(task(5), task(2), task(3))));
    }

    @Test
    void eachFamilyAndContainerPortCountsOnItsOwn() {
        Target api8080 = Targets.ecs("a", "api", "t1", 8080, 32768);
        Target api9090 = Targets.ecs("a", "api", "t1", 9090, 32769);
        Target api8080b = Targets.ecs("b", "api", "t2", 8080, 32770);
        Target web = Targets.ecs("c", "web", "t3", 8080, 32771);
        Target grouped = Targets.of("d", "worker", Map.of("gostats.group", "batch"), 8080, 32772);
        assertEquals(Map.of(api8080.id(), 1, api9090.id(), 1, api8080b.id(), 2, web.id(), 1, grouped.id(), 1),
                kept(dir).assign(List.of(api8080, api9090, api8080b, web, grouped)));
    }

    @Test
    void theStateIsWrittenOnlyWhenItChanges() throws Exception {
        Path file = dir.resolve("state/slots.json");
        TaskSlots slots = kept(dir.resolve("state"));
        assertTrue(Files.isDirectory(dir.resolve("state")), "a missing state directory is created");
        slots.assign(List.of(task(1)));
        assertTrue(Files.readString(file).contains("\"container1:8080\""), Files.readString(file));
        Files.delete(file);
        slots.assign(List.of(task(1)));
        assertFalse(Files.exists(file), "nothing changed, nothing written");
        slots.assign(List.of(task(1), task(2)));
        assertTrue(Files.exists(file));
        try (var files = Files.list(dir.resolve("state"))) {
            assertEquals(List.of(file), files.toList(), "no temporary file left behind");
        }
    }

    @Test
    void aCorruptStateFileIsReportedAndStartsAfresh() throws Exception {
        Files.writeString(dir.resolve("slots.json"), "{\"slots\": [{\"family\": \"api\", \"contai");
        try (LogCapture log = LogCapture.of(TaskSlots.class)) {
            TaskSlots slots = kept(dir);
            assertEquals(1, log.warnings().size(), log.warnings().toString());
            assertTrue(log.warnings().get(0).contains("slots.json"), log.warnings().toString());
            assertEquals(slots(task(2)), slots.assign(List.of(task(2))));
        }
        assertEquals(slots(task(2)), kept(dir).assign(List.of(task(2))), "rewritten whole");
    }

    @Test
    void aStateFileGivingOneNumberTwiceIsCorruptToo() throws Exception {
        Files.writeString(dir.resolve("slots.json"), """
                {"slots": [{"family": "api", "containerPort": 8080, "target": "container1:8080", "slot": 1},
                           {"family": "api", "containerPort": 8080, "target": "container2:8080", "slot": 1}]}
                """);
        try (LogCapture log = LogCapture.of(TaskSlots.class)) {
            assertEquals(slots(task(1), task(2)), kept(dir).assign(List.of(task(2), task(1))));
            assertEquals(1, log.warnings().size(), log.warnings().toString());
        }
    }

    @Test
    void anUpgradeReadsTheFileTheMackerelSinkKeptAndRenumbersNoTask() throws Exception {
        Path earlier = dir.resolve("mackerel");
        Files.createDirectories(earlier);
        String old = """
                {"slots": [{"family": "api", "containerPort": 8080, "target": "container1:8080", "slot": 2},
                           {"family": "api", "containerPort": 8080, "target": "container2:8080", "slot": 1}]}
                """;
        Files.writeString(earlier.resolve("slots.json"), old);
        Path relay = dir.resolve("relay");
        try (LogCapture log = LogCapture.of(TaskSlots.class)) {
            TaskSlots upgraded = TaskSlots.kept(relay, Optional.of(earlier));
            assertEquals(slots(task(2), task(1), task(3)), upgraded.assign(List.of(task(1), task(2), task(3))));
            assertEquals(List.of(), log.warnings());
            assertTrue(log.messages().stream().anyMatch(m -> m.contains(earlier.resolve("slots.json").toString())),
                    log.messages().toString());
        }
        assertTrue(Files.readString(relay.resolve("slots.json")).contains("\"container3:8080\""));
        assertEquals(old, Files.readString(earlier.resolve("slots.json")), "the earlier file is left as it was");

        Files.writeString(earlier.resolve("slots.json"), "{\"slots\": []}");
        assertEquals(slots(task(2), task(1), task(3)), TaskSlots.kept(relay, Optional.of(earlier))
                .assign(List.of(task(3), task(2), task(1))), "once moved, the relay's own file is read");
    }

    @Test
    void theUpgradeIsWrittenAtOnceEvenWhenNothingChanges() throws Exception {
        Path earlier = dir.resolve("mackerel");
        kept(earlier).assign(List.of(task(1), task(2)));
        TaskSlots.kept(dir.resolve("relay"), Optional.of(earlier));
        assertTrue(Files.readString(dir.resolve("relay/slots.json")).contains("\"container2:8080\""));
    }

    @Test
    void anUncreatableDirectoryKeepsTheNumbersInMemoryWithOneWarning() throws Exception {
        Files.writeString(dir.resolve("a-file"), "");
        try (LogCapture log = LogCapture.of(TaskSlots.class)) {
            TaskSlots slots = kept(dir.resolve("a-file/state"));
            assertEquals(slots(task(1)), slots.assign(List.of(task(1))));
            assertEquals(slots(task(1), task(2)), slots.assign(List.of(task(2), task(1))));
            assertEquals(slots(task(3), task(2)), slots.assign(List.of(task(2), task(3))));
            assertEquals(1, log.warnings().size(), log.warnings().toString());
            assertTrue(log.warnings().get(0).contains("relay.state-dir"), log.warnings().toString());
        }
    }

    @Test
    void anUnwritableDirectoryKeepsTheNumbersInMemoryWithOneWarning() {
        // the tests run as root, who writes wherever permissions say no; nobody makes files in /proc
        Path unwritable = Path.of("/proc/self");
        try (LogCapture log = LogCapture.of(TaskSlots.class)) {
            TaskSlots slots = kept(unwritable);
            assertEquals(slots(task(1)), slots.assign(List.of(task(1))));
            assertEquals(slots(task(1), task(2)), slots.assign(List.of(task(2), task(1))));
            assertEquals(slots(task(1), task(2)), slots.assign(List.of(task(2), task(1))));
            assertEquals(1, log.warnings().size(), log.warnings().toString());
        }
    }

    @Test
    void readOnlySlotsAreTheRelaysNumbersAndWriteNothing() throws Exception {
        kept(dir).assign(List.of(task(1), task(2)));
        String before = Files.readString(dir.resolve("slots.json"));
        assertEquals(slots(task(3), task(2)), TaskSlots.readOnly(dir).assign(List.of(task(3), task(2))));
        assertEquals(before, Files.readString(dir.resolve("slots.json")));
        assertEquals(slots(task(1)), TaskSlots.readOnly(dir.resolve("missing")).assign(List.of(task(1))));
        assertFalse(Files.exists(dir.resolve("missing")));
    }
}
