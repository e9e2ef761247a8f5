package io.gostats.relay.sink.mackerel.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.gostats.relay.model.Target;
import io.gostats.relay.model.TaskIdentity;
import io.gostats.relay.sink.mackerel.graphs.GostatsMetric;

class KeyTemplateTest {

    static final String TASK_ID = "0123456789abcdef0123456789abcdef";
    static final Target ECS = Targets.ecs("c0ffee", "api", TASK_ID, 8080, 32768);
    static final Target GROUPED = Targets.of("beef", "worker-1", Map.of(TaskIdentity.GROUP_LABEL, "my.app/v2"),
            8080, 32770);
    static final Target PLAIN = Targets.of("f00d", "worker-1", Map.of(), 9090, 32771);
    static final Target STATIC = new Target("static:10.0.0.5:8080/stats", "10.0.0.5", 8080, "/stats", 8080,
            TaskIdentity.NONE);

    static String render(String template, Target t) {
        return KeyTemplate.parse(template).render(t, 3);
    }

    @Test
    void everyPlaceholder() {
        assertEquals("32768-8080-" + TASK_ID + "-01234567-api-api-3",
                render("{port}-{cport}-{task_id}-{task_short}-{family}-{container}-{slot}", ECS));
        assertEquals("worker-1", render("{container}", PLAIN), "the Docker name when ECS did not start it");
        assertEquals("task-", render("task-{task_id}{task_short}", PLAIN), "no task id outside ECS");
    }

    @Test
    void portIsTheOldLoopsHostPort() {
        String name = "custom.gostats." + render("{port}", ECS) + "." + GostatsMetric.GOROUTINE_NUM.path();
        assertEquals("custom.gostats.32768.runtime.goroutine_num", name);
    }

    @Test
    void familyIsTheTaskFamilyElseTheGroupElseTheContainerName() {
        Target ecsWithGroup = Targets.of("c1", "ecs-api-7-api-01", Map.of(Targets.ECS_FAMILY, "api",
                TaskIdentity.GROUP_LABEL, "backend"), 8080, 32768);
        assertEquals("api", render("{family}", ecsWithGroup));
        assertEquals("my_app_v2", render("{family}", GROUPED), "sanitized");
        assertEquals("worker-1", render("{family}", PLAIN));
        assertEquals("unknown", render("{family}", STATIC));
    }

    @Test
    void everythingOutsideTheKeyCharactersBecomesAnUnderscore() {
        assertEquals("a_b_c_d-E_9_", render("a.b c/d-E:9\u00e9", PLAIN));
        assertEquals("my_app_v2-3", render("{family}-{slot}", GROUPED));
    }

    @Test
    void anEmptyKeyFallsBackToTheContainerNameElseUnknown() {
        assertEquals("worker-1", render("{task_id}", PLAIN));
        assertEquals("unknown", render("{task_short}", STATIC));
        assertEquals("_", render("{task_id}.", STATIC), "not empty: kept as it is");
    }

    @Test
    void badTemplatesAreRefusedNamingWhatIsWrong() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KeyTemplate.parse("{family}-{task}"));
        assertTrue(e.getMessage().contains("{task}"), e.getMessage());
        assertTrue(e.getMessage().contains("{task_short}"), "lists the known ones: " + e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> KeyTemplate.parse(""));
        assertThrows(IllegalArgumentException.class, () -> KeyTemplate.parse("  "));
        assertThrows(IllegalArgumentException.class, () -> KeyTemplate.parse("{}"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KeyTemplate.parse("{port"))
                .getMessage().contains("brace"));
        assertThrows(IllegalArgumentException.class, () -> KeyTemplate.parse("port}"));
        assertThrows(IllegalArgumentException.class, () -> KeyTemplate.parse("{{port}}"));
    }

    @Test
    void usesSlot() {
        assertTrue(KeyTemplate.parse("{family}-{slot}").usesSlot());
        assertFalse(KeyTemplate.parse("{family}-{task_short}").usesSlot());
    }
}
