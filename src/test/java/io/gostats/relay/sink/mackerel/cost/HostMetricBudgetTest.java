package io.gostats.relay.sink.mackerel.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.gostats.relay.LogCapture;
import io.gostats.relay.sink.mackerel.graphs.GraphGroup;

class HostMetricBudgetTest {

    static List<String> names(int n) {
        return IntStream.range(0, n).mapToObj(i -> "custom.gostats.api-" + i + ".runtime.goroutine_num").toList();
    }

    @Test
    void countsDistinctNamesAgainstTheAllowanceLessTheReserve() {
        HostMetricBudget cost = new HostMetricBudget(200, 30);
        assertEquals(170, cost.budget());
        assertTrue(cost.last().isEmpty(), "nothing counted before the first minute");
        assertTrue(cost.summary().isEmpty());
        List<String> twice = new java.util.ArrayList<>(names(10));
        twice.addAll(names(10));
        HostMetricBudget.Minute m = cost.record(60, twice,
                Map.of(GraphGroup.HOST_SUMS, 24, GraphGroup.GOSTATS, 150));
        assertEquals(10, m.metrics(), "a name counts once a minute");
        assertEquals("gostats 150, host-sums 24", m.byGroup(), "in the groups' order");
        assertEquals("10 of 170 metrics/min to the host", cost.summary().orElseThrow());
        assertFalse(cost.over());
    }

    @Test
    void passingTheBudgetIsLoggedOnceAndComingBackUnderOnce() {
        HostMetricBudget cost = new HostMetricBudget(200, 20);
        try (LogCapture log = LogCapture.of(HostMetricBudget.class)) {
            cost.record(0, names(180), Map.of(GraphGroup.GOSTATS, 180));
            assertEquals(List.of(), log.warnings(), "180 is the budget itself: not over");
            cost.record(60, names(181), Map.of(GraphGroup.GOSTATS, 181));
            cost.record(120, names(250), Map.of(GraphGroup.GOSTATS, 250));
            assertEquals(1, log.warnings().size(), "one warning while it stays over: " + log.warnings());
            String w = log.warnings().get(0);
            assertTrue(w.contains("181 metrics a minute") && w.contains("over the 180")
                    && w.contains("relay.mackerel.host-metric-allowance (200)")
                    && w.contains("relay.mackerel.host-metric-reserve (20)") && w.contains("gostats 181")
                    && w.contains("relay.mackerel.graphs"), w);
            assertTrue(cost.over());
            assertTrue(cost.summary().orElseThrow().startsWith("250 of 180 metrics/min to the host (OVER"),
                    cost.summary().orElseThrow());
            cost.record(180, names(100), Map.of(GraphGroup.GOSTATS, 100));
            cost.record(240, names(90), Map.of(GraphGroup.GOSTATS, 90));
            assertEquals(2, log.messages().size(), "one message back under: " + log.messages());
            assertTrue(log.messages().get(1).contains("back within the 180"), log.messages().get(1));
            cost.record(300, names(200), Map.of(GraphGroup.GOSTATS, 200));
            assertEquals(2, log.warnings().size(), "over again: warned again");
        }
    }
}
