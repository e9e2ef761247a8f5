package io.gostats.relay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * deploy/grafana's dashboard parses, and every series it queries is one the relay really exposes: compared with the
 * names on /q/metrics of the relay in-process (a good and a failing target, so that the error series show too).
 */
@QuarkusTest
@WithTestResource(value = StaticTargetsResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@TestProfile(MetricsEndpointTest.Profile.class)
class GrafanaDashboardTest {

    static final Path DASHBOARD = Path.of("deploy/grafana/gostats-relay-dashboard.json");
    /** The variant for {@code relay.prometheus.series=slot}. */
    static final Path SLOT_DASHBOARD = Path.of("deploy/grafana/gostats-relay-slot-dashboard.json");
    /** The labels {@code slot} series leave out: a dashboard on them must not use them. */
    private static final Pattern DEPLOY_LABEL = Pattern.compile(
            "(?<![\\w.])(task_id|task_revision|target|container)\\s*(?:=~|!~|!=|=|,|\\)|}})");

    private static final Set<String> PROMQL_WORDS = Set.of("and", "or", "unless", "bool", "offset");
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern GROUPING =
            Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    /** An identifier that is not a function call (possessive: no shorter match before a parenthesis). */
    private static final Pattern IDENT = Pattern.compile("(?<![\\w:$.])([a-zA-Z_:][\\w:]*+)(?!\\s*\\()");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][\\w:]*)");

    /** The series names a PromQL expression selects. */
    static Set<String> metricNames(String promql) {
        String s = STRING.matcher(promql).replaceAll("\"\"");
        s = s.replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^\\]]*]", " ");
        s = GROUPING.matcher(s).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENT.matcher(s);
        while (m.find()) {
            if (!PROMQL_WORDS.contains(m.group(1))) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    @Test
    void theExtractorFindsSeriesNotFunctionsLabelsOrRanges() {
        assertEquals(Set.of("relay_cycle_duration_seconds_sum", "relay_cycle_duration_seconds_count"),
                metricNames("max by (instance) (rate(relay_cycle_duration_seconds_sum{job=~\"$job\"}[5m]) "
                        + "/ rate(relay_cycle_duration_seconds_count[$__rate_interval]))"));
        assertEquals(Set.of("gostats_up"), metricNames("count(gostats_up{a=\"b\"} == 0) or vector(0) * 60"));
    }

    @Test
    void everyQueriedSeriesIsExposedByTheRelay() throws IOException {
        queriedSeriesAreExposed(DASHBOARD);
        queriedSeriesAreExposed(SLOT_DASHBOARD);
    }

    @Test
    void theSlotDashboardUsesNoLabelThatADeployChanges() throws IOException {
        JsonNode dash = new ObjectMapper().readTree(SLOT_DASHBOARD.toFile());
        assertFalse(dash.path("uid").asText().equals(new ObjectMapper().readTree(DASHBOARD.toFile()).path("uid")
                .asText()), "its own uid: both can be imported");
        int legends = 0;
        for (JsonNode panel : dash.path("panels")) {
            for (JsonNode t : panel.path("targets")) {
                String text = t.path("expr").asText() + " " + t.path("legendFormat").asText();
                assertFalse(DEPLOY_LABEL.matcher(text.replace("{{", "")).find(), text);
                legends += t.path("legendFormat").asText().contains("{{slot}}") ? 1 : 0;
            }
        }
        assertTrue(legends >= 10, "the task lines are named by their slot: " + legends);
        assertTrue(DEPLOY_LABEL.matcher("sum by (task_id) (x)").find(), "the check finds such a label");
        assertTrue(DEPLOY_LABEL.matcher("{{task_family}} {{task_id}}".replace("{{", "")).find());
    }

    private static void queriedSeriesAreExposed(Path file) throws IOException {
        JsonNode dash = new ObjectMapper().readTree(file.toFile());
        assertFalse(dash.path("uid").asText().isEmpty(), "a uid, so that re-imports update it");
        List<String> queries = new ArrayList<>();
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : dash.path("panels")) {
            assertTrue(ids.add(panel.path("id").asInt()), "panel ids are unique: " + panel.path("title"));
            assertTrue(panel.path("gridPos").has("w"), "gridPos of " + panel.path("title"));
            assertTrue(panel.path("targets").size() > 0, "queries of " + panel.path("title"));
            panel.path("targets").forEach(t -> queries.add(t.path("expr").asText()));
        }
        Set<String> queried = new TreeSet<>();
        for (String q : queries) {
            assertFalse(q.isBlank(), "an empty query");
            queried.addAll(metricNames(q));
        }
        for (JsonNode v : dash.path("templating").path("list")) {
            Matcher m = LABEL_VALUES.matcher(v.path("definition").asText());
            if (m.find()) {
                queried.add(m.group(1));
            }
        }
        assertTrue(queried.stream().filter(n -> n.startsWith("gostats_")).count() >= 10,
                "the per-task series are on the dashboard: " + queried);

        Exposition e = MetricsEndpointTest.scrapeAfterFirstCycle();
        Set<String> exposed = e.samples().stream().map(Exposition.Sample::name).collect(Collectors.toSet());
        assertTrue(exposed.contains("gostats_fetch_errors_total"), "the failing target shows its errors: " + exposed);
        Set<String> unknown = new TreeSet<>(queried);
        unknown.removeAll(exposed);
        assertEquals(Set.of(), unknown, "series the dashboard queries that the relay does not expose");
    }
}
