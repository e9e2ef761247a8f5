package io.gostats.relay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

/**
 * JSON log lines for CloudWatch, switched on by the environment alone; the Mackerel API key, though sent, appears in
 * no log line. The dashboard command against a Mackerel that refuses the key is a run that logs about the API.
 */
class JsonLogIT {

    static final String KEY = "json-log-key-fedcba9876543210";

    @TempDir
    Path dir;
    HttpServer mackerel;
    final List<String> keysSeen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void refusingMackerel() throws Exception {
        mackerel = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        mackerel.createContext("/", ex -> {
            keysSeen.add(String.valueOf(ex.getRequestHeaders().getFirst("X-Api-Key")));
            byte[] body = "{\"error\":{\"message\":\"Authentication failed. Please try with a valid Api Key.\"}}"
                    .getBytes();
            ex.sendResponseHeaders(403, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        mackerel.start();
    }

    @AfterEach
    void stop() {
        mackerel.stop(0);
    }

    JarRun dashboard(Map<String, String> env) throws Exception {
        return JarRun.run(dir, env, List.of("quarkus.http.port=0", "relay.discovery.docker.enabled=false",
                "relay.mackerel.api-base=http://127.0.0.1:" + mackerel.getAddress().getPort()), "dashboard", "shop:api");
    }

    @Test
    void jsonLinesWhenSwitchedOnAndNeverTheKey() throws Exception {
        JarRun run = dashboard(Map.of("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "true", "MACKEREL_APIKEY", KEY));
        assertEquals(1, run.exitCode(), run.stderr());
        assertFalse(keysSeen.isEmpty(), "the key was sent to Mackerel");
        assertTrue(keysSeen.stream().allMatch(KEY::equals), keysSeen.toString());
        List<String> lines = (run.out() + run.stderr()).lines().filter(l -> l.startsWith("{")).toList();
        ObjectMapper json = new ObjectMapper();
        boolean relayLine = false;
        for (String line : lines) {
            JsonNode n = json.readTree(line);
            assertTrue(n.hasNonNull("timestamp") && n.hasNonNull("level") && n.hasNonNull("message"), line);
            relayLine |= n.get("loggerName").asText().startsWith("io.gostats.relay");
        }
        assertTrue(relayLine, "a line of the relay's own: " + run.stderr());
        assertTrue(run.stderr().lines().filter(l -> !l.isBlank()).allMatch(l -> l.startsWith("{")),
                "every log line is JSON: " + run.stderr());
        assertFalse(run.out().contains(KEY) || run.stderr().contains(KEY), "the key never shows");
    }

    @Test
    void plainTextByDefault() throws Exception {
        JarRun run = dashboard(Map.of("MACKEREL_APIKEY", KEY));
        String log = run.out() + run.stderr();
        assertTrue(log.contains("started in"), log);
        assertTrue(log.lines().filter(l -> l.contains("started in")).noneMatch(l -> l.startsWith("{")), log);
        assertFalse(log.contains(KEY));
    }
}
