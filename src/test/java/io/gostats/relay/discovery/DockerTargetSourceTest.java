package io.gostats.relay.discovery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.Event;
import com.github.tomakehurst.wiremock.WireMockServer;

import io.gostats.relay.TestData;
import io.gostats.relay.docker.DockerEngine;
import io.gostats.relay.model.Target;

/** docker-java against a Docker API served by WireMock from recorded podman and Docker Engine replies. */
class DockerTargetSourceTest {

    static final String BRIDGE_ID = "6d3e01bf99af";
    static final String LIST = "(/v[0-9.]+)?/containers/json";
    static final String EVENTS = "(/v[0-9.]+)?/events";

    WireMockServer docker;
    DockerTargetSource source;

    @BeforeEach
    void start() {
        docker = new WireMockServer(options().dynamicPort());
        docker.start();
        list("podman-containers-bridge.json");
    }

    @AfterEach
    void stop() {
        if (source != null) {
            source.close();
        }
        engines.forEach(DockerEngine::close);
        docker.stop();
    }

    void list(String file) {
        docker.stubFor(get(urlPathMatching(LIST)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(TestData.bytes("docker/" + file))));
    }

    DockerTargetSource source(boolean events) {
        ContainerSelector any = new ContainerSelector(Optional.empty(), List.of(), Optional.empty());
        source = new DockerTargetSource(engine("tcp://127.0.0.1:" + docker.port()),
                new TargetMapping(any, 8080, "/stats", "127.0.0.1"), events, Clock.systemUTC());
        return source;
    }

    /** A recorded podman event line, moved onto the container of podman-containers-bridge.json. */
    static String event(String status) {
        String line = TestData.text("docker/podman-events.jsonl").lines()
                .filter(l -> l.startsWith("{\"status\":\"" + status + "\"")).findFirst().orElseThrow();
        String recordedId = line.substring(line.indexOf("\"id\":\"") + 6, line.indexOf("\"id\":\"") + 6 + 64);
        String bridgeId = DockerReplies.containers("podman-containers-bridge.json").get(0).getId();
        return line.replace(recordedId, bridgeId);
    }

    static Event parse(String json) throws Exception {
        return new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .readValue(json, Event.class);
    }

    static void await(BooleanSupplier done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 5 s: " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void listsThroughTheApi() {
        List<Target> ts = source(false).discover();
        assertEquals(1, ts.size());
        assertTrue(ts.get(0).id().startsWith(BRIDGE_ID));
        assertTrue(source.status().up());
    }

    @Test
    void aStoppedContainerIsDroppedAtOnceAndAStartedOneIsListedWithinSeconds() throws Exception {
        source(false).discover();
        source.onEvent(parse(event("die")));
        assertEquals(List.of(), source.known(), "dropped on the event, before any cycle");
        list("podman-containers-multiport.json");
        source.onEvent(parse(event("start")));
        await(() -> source.known().size() == 2, "the relist after a start event");
    }

    /**
     * The Docker Engine's own events (recorded from docker.io 20.10) of {@code docker stop} then {@code docker rm}:
     * {@code kill}, {@code die}, {@code stop}, {@code destroy}, where podman sends {@code die}, {@code cleanup},
     * {@code remove}. The target goes at {@code die}, not at {@code kill} (a signal need not end a container); the
     * others stay; the rest of the sequence changes nothing.
     */
    @Test
    void dockerEnginesStopEventsDropTheContainerAtDie() throws Exception {
        list("docker-20.10-containers-all.json");
        String bridge = "d4713e712934320df4e346604d4a2cf1dfac2299e91d81ec54c24f84fd307527";
        int listed = source(false).discover().size();
        assertTrue(source.known().stream().anyMatch(t -> t.identity().containerId().equals(bridge)), "listed");
        List<String> lines = TestData.text("docker/docker-20.10-events.jsonl").lines()
                .filter(l -> l.contains("\"id\":\"" + bridge + "\"")).toList();
        List<String> actions = new java.util.ArrayList<>();
        for (String line : lines) {
            Event e = parse(line);
            actions.add(e.getAction());
            if (List.of("create", "start").contains(e.getAction())) {
                continue; // before the listing
            }
            source.onEvent(e);
            boolean known = source.known().stream().anyMatch(t -> t.identity().containerId().equals(bridge));
            assertEquals(e.getAction().equals("kill"), known, "known after " + actions);
        }
        assertEquals(List.of("create", "start", "kill", "die", "stop", "destroy"), actions);
        assertEquals(listed - 1, source.known().size(), "the others stay");
    }

    @Test
    void followsTheEventStream() throws Exception {
        docker.stubFor(get(urlPathMatching(EVENTS)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody(event("die") + "\n" + event("remove") + "\n").withFixedDelay(300)));
        assertEquals(1, source(true).discover().size());
        await(() -> source.known().isEmpty(), "the die event from the stream");
    }

    @Test
    void unreachableDockerKeepsTheLastKnownTargetsAndSaysWhy() {
        assertEquals(1, source(false).discover().size());
        docker.stop();
        assertEquals(1, source.discover().size());
        assertFalse(source.status().up());
        assertTrue(source.status().error().contains("Connect"), source.status().error());
    }

    private final List<DockerEngine> engines = new java.util.ArrayList<>();

    DockerEngine engine(String host) {
        DockerEngine e = new DockerEngine(host, Duration.ofSeconds(2), 2);
        engines.add(e);
        return e;
    }

    DockerTargetSource source(String host) {
        ContainerSelector any = new ContainerSelector(Optional.empty(), List.of(), Optional.empty());
        source = new DockerTargetSource(engine(host),
                new TargetMapping(any, 8080, "/stats", "127.0.0.1"), false, Clock.systemUTC());
        return source;
    }

    /**
     * Docker not there, or not a socket: the source is down with the operating system's own words, finds nothing,
     * and throws nothing. Tests run as root, so a mode-000 socket would still open: a directory and a regular file
     * stand in for it (connect(2) gives ECONNREFUSED for a file that is not a socket, as for a socket nobody serves).
     */
    @Test
    void aMissingOrUnusableSocketIsReportedNotThrown(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("docker.sock"), "not a socket");
        java.nio.file.Path directory = java.nio.file.Files.createDirectory(dir.resolve("docker.d"));
        java.util.Map<String, String> errors = new java.util.LinkedHashMap<>();
        for (java.nio.file.Path p : List.of(dir.resolve("missing.sock"), directory, file)) {
            DockerTargetSource s = source("unix://" + p);
            assertEquals(List.of(), s.discover());
            assertFalse(s.status().up(), p.toString());
            errors.put(p.getFileName().toString(), s.status().error());
            s.close();
            source = null;
        }
        System.out.println("Docker socket errors as reported: " + errors);
        assertTrue(errors.get("missing.sock").contains("No such file"), errors.toString());
        errors.values().forEach(e -> assertFalse(e.isBlank(), errors.toString()));
    }

    @Test
    void aContainerGoneBetweenListAndInspectIsSkippedAndTheRestKept() {
        list("podman-containers-all.json");
        docker.stubFor(get(urlPathMatching(INSPECT)).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withBody("{\"message\":\"no such container\"}")));
        List<Target> ts = source(false).discover();
        assertTrue(source.status().up(), source.status().error());
        assertEquals(List.of("api-bridge", "api-multi"),
                ts.stream().map(t -> t.identity().containerName()).distinct().sorted().toList());
    }

    @Test
    void aServerErrorOfTheListKeepsTheLastTargetsAndSaysWhy() {
        assertEquals(1, source(false).discover().size());
        docker.stubFor(get(urlPathMatching(LIST)).willReturn(aResponse().withStatus(500)
                .withHeader("Content-Type", "application/json").withBody("{\"message\":\"daemon is broken\"}")));
        assertEquals(1, source.discover().size());
        assertFalse(source.status().up());
        assertTrue(source.status().error().contains("daemon is broken"), source.status().error());
    }

    static final String INSPECT = "(/v[0-9.]+)?/containers/[0-9a-f]+/json";
    static final java.util.regex.Pattern READ_ONLY = java.util.regex.Pattern.compile(
            "(/v[0-9.]+)?/(containers/json|containers/[0-9a-f]+/json|events|_ping|version)");

    /** Every request the relay makes of Docker is a GET of a list, an inspect, the event stream (or a ping). */
    @Test
    void usesDockerReadOnly() throws Exception {
        list("podman-containers-all.json");
        docker.stubFor(get(urlPathMatching(INSPECT)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(TestData.bytes("docker/podman-inspect-host.json"))));
        docker.stubFor(get(urlPathMatching(EVENTS)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(event("die") + "\n").withFixedDelay(200)));
        source(true).discover();
        source.onEvent(parse(event("start")));
        Thread.sleep(600);
        source.discover();
        var requests = docker.getAllServeEvents().stream().map(e -> e.getRequest()).toList();
        assertTrue(requests.size() >= 4, requests.toString());
        java.util.Set<String> seen = new java.util.TreeSet<>();
        for (var r : requests) {
            String path = java.net.URI.create(r.getUrl()).getPath();
            seen.add(r.getMethod().value() + " " + path.replaceAll("/v[0-9.]+/", "/").replaceAll("[0-9a-f]{64}", "<id>"));
            assertEquals("GET", r.getMethod().value(), r.getMethod() + " " + r.getUrl());
            assertTrue(READ_ONLY.matcher(path).matches(), r.getUrl());
        }
        System.out.println("Docker API calls made: " + seen);
        assertTrue(seen.contains("GET /containers/json") && seen.contains("GET /events")
                && seen.contains("GET /containers/<id>/json"), seen.toString());
    }

    /**
     * 500 containers starting and stopping, 40 steps: after each relist the targets are exactly those of the
     * running containers, and what the source keeps per container (network modes, bad-label warnings) is no more
     * than the running ones.
     */
    @Test
    void aStormOf500ContainersIsFollowedWithoutLeaks() {
        java.util.Random random = new java.util.Random(42);
        docker.stubFor(get(urlPathMatching(INSPECT)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"Id\":\"x\",\"HostConfig\":{\"NetworkMode\":\"host\"}}")));
        source(false);
        int maxTracked = 0;
        int generation = 0;
        java.util.Map<Integer, Integer> running = new java.util.HashMap<>(); // slot -> generation
        for (int step = 0; step < 40; step++) {
            for (int slot = 0; slot < 500; slot++) {
                if (random.nextInt(3) == 0) {
                    if (running.remove(slot) == null) {
                        running.put(slot, ++generation);
                    }
                }
            }
            StringBuilder json = new StringBuilder("[");
            java.util.Set<String> expected = new java.util.TreeSet<>();
            for (var e : running.entrySet()) {
                String id = String.format("%064x", (long) e.getKey() * 1_000_000 + e.getValue());
                int kind = e.getKey() % 5;
                json.append(json.length() > 1 ? "," : "").append(stormContainer(id, e.getKey(), kind));
                if (kind != 4) {
                    expected.add(id + ":" + (kind == 3 ? 9090 : 8080));
                }
            }
            docker.stubFor(get(urlPathMatching(LIST)).willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", "application/json").withBody(json.append("]").toString())));
            List<Target> ts = source.discover();
            assertTrue(source.status().up(), source.status().error());
            assertEquals(expected, new java.util.TreeSet<>(ts.stream().map(Target::id).toList()), "step " + step);
            assertTrue(source.trackedContainers() <= running.size(), "step " + step + ": "
                    + source.trackedContainers() + " tracked, " + running.size() + " running");
            maxTracked = Math.max(maxTracked, source.trackedContainers());
        }
        running.clear();
        docker.stubFor(get(urlPathMatching(LIST)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("[]")));
        assertEquals(List.of(), source.discover());
        assertEquals(0, source.trackedContainers(), "nothing kept of containers that are gone");
        assertTrue(maxTracked > 0, "the storm exercised inspects and warnings");
        System.out.printf("storm: %d container starts over 40 steps; at most %d containers tracked%n", generation,
                maxTracked);
    }

    /** Kinds: 0-2 bridge publishing 8080; 3 labelled 9090 with no HostConfig (inspected: host); 4 a bad label. */
    static String stormContainer(String id, int slot, int kind) {
        String labels = kind == 3 ? "{\"gostats.port\":\"9090\"}" : kind == 4 ? "{\"gostats.port\":\"80a\"}" : "{}";
        String ports = kind < 3 ? "[{\"PrivatePort\":8080,\"PublicPort\":" + (30000 + slot) + ",\"Type\":\"tcp\"}]"
                : "[]";
        String hostConfig = kind == 3 ? "" : ",\"HostConfig\":{\"NetworkMode\":\"bridge\"}";
        return "{\"Id\":\"" + id + "\",\"Names\":[\"/task-" + slot + "\"],\"Labels\":" + labels + ",\"Ports\":"
                + ports + hostConfig + "}";
    }
}
