package io.gostats.relay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import io.gostats.relay.FreePorts;
import io.gostats.relay.TestData;
import io.gostats.relay.collect.format.StatsParser;
import io.gostats.relay.sink.mackerel.api.GraphDefinition;
import io.gostats.relay.sink.mackerel.graphs.AgentMeta;
import io.gostats.relay.sink.mackerel.graphs.GostatsMetric;
import io.gostats.relay.sink.mackerel.graphs.GraphSets;
import io.gostats.relay.sink.mackerel.plugin.PluginOutput;
import io.gostats.relay.sink.mackerel.points.PluginRules;

/**
 * The packaged relay as mackerel-agent runs it: {@code plugin} twice against a static target, with a Mackerel key
 * and host registration configured, which plugin mode must ignore. Run by Failsafe after the jar is packaged.
 */
class PluginModeIT {

    static final String[] SAMPLES = { "samples/stats-churn.json", "samples/stats-pretty.json" };
    static final String KEY = "plugin-mode-key-0123456789abcdef";

    @TempDir
    Path dir;
    HttpServer target;
    HttpServer mackerel;
    int httpPort;
    final AtomicInteger fetches = new AtomicInteger();
    final AtomicInteger mackerelCalls = new AtomicInteger();
    /** For each fetch: whether the relay's own HTTP port was listening while the command ran. */
    final List<Boolean> listening = new CopyOnWriteArrayList<>();

    @BeforeEach
    void servers() throws IOException {
        httpPort = FreePorts.any();
        target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        target.createContext("/stats", ex -> {
            listening.add(listening(httpPort));
            byte[] body = TestData.bytes(SAMPLES[Math.min(fetches.getAndIncrement(), SAMPLES.length - 1)]);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        target.start();
        mackerel = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        mackerel.createContext("/", ex -> {
            mackerelCalls.incrementAndGet();
            ex.sendResponseHeaders(500, -1);
            ex.close();
        });
        mackerel.start();
    }

    @AfterEach
    void stop() {
        target.stop(0);
        mackerel.stop(0);
    }

    static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            return true;
        } catch (ConnectException refused) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    int port() {
        return target.getAddress().getPort();
    }

    JarRun plugin(Map<String, String> env) throws Exception {
        return JarRun.run(dir.resolve("runs"), env, List.of(
                "quarkus.http.port=" + httpPort,
                JarRun.LENIENT_FETCH_TIMEOUT,
                "relay.discovery.docker.enabled=false",
                "relay.discovery.static-targets=127.0.0.1:" + port(),
                "relay.mackerel.api-base=http://127.0.0.1:" + mackerel.getAddress().getPort(),
                "relay.mackerel.register-host=true",
                "relay.mackerel.custom-identifier=i-0123456789",
                "relay.state-dir=" + dir.resolve("relay-state")), "plugin");
    }

    /** What the Mackerel sink's rules give for this point, as plugin lines. */
    String sinkLines(PluginRules.Previous previous, Map<GostatsMetric, Double> cur, long now) {
        StringBuilder out = new StringBuilder();
        PluginRules.pointOfOneFetch(previous, cur, now, true).forEach((m, v) ->
                out.append(PluginOutput.line("gostats." + port() + "." + m.path(), v, now)));
        return out.toString();
    }

    static long epochOf(String out) {
        String first = out.lines().findFirst().orElseThrow(() -> new AssertionError("no output"));
        return Long.parseLong(first.substring(first.lastIndexOf('\t') + 1));
    }

    @Test
    void twoRunsPrintThePluginsLinesAndKeepItsState() throws Exception {
        Path workdir = dir.resolve("workdir");
        Map<String, String> env = Map.of("MACKEREL_PLUGIN_WORKDIR", workdir.toString(), "MACKEREL_APIKEY", KEY);
        Map<GostatsMetric, Double> churn = PluginRules.reported(StatsParser.parse(TestData.bytes(SAMPLES[0])), true);
        Map<GostatsMetric, Double> pretty = PluginRules.reported(StatsParser.parse(TestData.bytes(SAMPLES[1])), true);

        long before = System.currentTimeMillis() / 1000;
        JarRun first = plugin(env);
        assertEquals(0, first.exitCode(), first.stderr());
        long e1 = epochOf(first.out());
        assertTrue(e1 >= before && e1 <= System.currentTimeMillis() / 1000, "epoch " + e1 + " is the run's time");
        // gostats.md's worked example, run 1, for this port and this second
        String p = "gostats." + port();
        assertEquals(String.join("", List.of(
                p + ".runtime.goroutine_num\t4\t" + e1 + "\n",
                p + ".memory.memory_alloc\t13469088\t" + e1 + "\n",
                p + ".memory.memory_sys\t55884816\t" + e1 + "\n",
                p + ".memory.memory_stack\t327680\t" + e1 + "\n",
                p + ".heap.heap_sys\t45809664\t" + e1 + "\n",
                p + ".heap.heap_idle\t31858688\t" + e1 + "\n",
                p + ".heap.heap_inuse\t13950976\t" + e1 + "\n",
                p + ".gc.gc_per_second\t49.510057\t" + e1 + "\n",
                p + ".gc.gc_pause_per_second\t6.268024\t" + e1 + "\n")), first.out());
        assertEquals(sinkLines(null, churn, e1), first.out());

        JarRun second = plugin(env);
        assertEquals(0, second.exitCode(), second.stderr());
        long e2 = epochOf(second.out());
        assertTrue(e2 > e1, "a later second");
        assertEquals(sinkLines(new PluginRules.Previous(churn, e1), pretty, e2), second.out(), "byte for byte");
        assertEquals(15, second.out().lines().count());
        long ds = e2 - e1;
        String gcNum = second.out().lines().filter(l -> l.startsWith(p + ".gc.gc_num\t")).findFirst().orElseThrow();
        assertEquals((1716 - 209) * 60.0 / ds, Double.parseDouble(gcNum.split("\t")[1]), 1e-6);
        assertTrue(second.out().contains(p + ".heap.heap_released\t0\t" + e2 + "\n"), "compat: the plugin's Diff");

        JsonNode state = new ObjectMapper().readTree(workdir.resolve("gostats-relay-plugin-gostats.json").toFile())
                .get(p);
        assertEquals(e2, state.get("_lastTime").asLong());
        assertEquals(1716, state.get("gc_num").asLong());

        assertEquals(2, fetches.get(), "one fetch per run: no cycle ran");
        assertEquals(List.of(false, false), listening, "no HTTP server on port " + httpPort + " during a run");
        assertEquals(0, mackerelCalls.get(), "no Mackerel call (sink, host registration)");
        assertFalse(Files.exists(dir.resolve("relay-state")), "no Mackerel state directory");
        for (JarRun r : List.of(first, second)) {
            assertTrue(r.stderr().contains("started in"), "logs go to stderr: " + r.stderr());
            assertFalse(r.stderr().contains("cycle every"), r.stderr());
            assertFalse(r.stderr().contains(KEY) || r.out().contains(KEY));
        }
    }

    @Test
    void metaModePrintsTheWildcardGraphsTheSinkPosts() throws Exception {
        JarRun meta = plugin(Map.of("MACKEREL_AGENT_PLUGIN_META", "1",
                "MACKEREL_PLUGIN_WORKDIR", dir.resolve("workdir").toString()));
        assertEquals(0, meta.exitCode(), meta.stderr());
        assertEquals(TestData.text("samples/gostats-meta-wildcard.txt"), meta.out());
        assertEquals(2, meta.out().lines().count());
        List<GraphDefinition> asAgentPosts = AgentMeta.graphDefinitions(meta.out());
        assertEquals(GraphSets.gostatsWildcard("gostats"), asAgentPosts);
        assertEquals(0, fetches.get(), "meta mode fetches nothing");
    }

    @Test
    void onceShowsEachTargetAndWhatFailed() throws Exception {
        int dead = FreePorts.any();
        JarRun once = JarRun.run(dir.resolve("runs"), Map.of(), List.of("quarkus.http.port=" + httpPort,
                JarRun.LENIENT_FETCH_TIMEOUT,
                "relay.discovery.docker.enabled=false",
                "relay.discovery.static-targets=127.0.0.1:" + port() + ",127.0.0.1:" + dead), "once");
        assertEquals(1, once.exitCode(), "a target failed: " + once.out() + once.stderr());
        List<String> rows = once.out().lines().toList();
        assertEquals("source static: up", rows.get(0));
        assertTrue(rows.get(1).startsWith("TASK") && rows.get(1).contains("URL  ") && rows.get(1).contains("FORMAT"),
                rows.get(1));
        String good = rows.stream().filter(r -> r.contains("http://127.0.0.1:" + port() + "/stats")).findFirst()
                .orElseThrow();
        assertTrue(good.matches(".*/stats\\s+gostats\\s+up \\(\\d+ ms\\)\\s+4\\s+55884816\\s+13950976\\s+209$"), good);
        String bad = rows.stream().filter(r -> r.contains("http://127.0.0.1:" + dead + "/stats")).findFirst()
                .orElseThrow();
        assertTrue(bad.matches(".*/stats\\s+auto\\s+refused.*"), bad);
        assertEquals("2 targets, 1 up", rows.get(rows.size() - 1));
        assertEquals(List.of(false), listening);
    }
}
