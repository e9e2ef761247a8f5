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

/** docker-java against a Docker API served by WireMock from recorded podman replies. */
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
        docker.stop();
    }

    void list(String file) {
        docker.stubFor(get(urlPathMatching(LIST)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(TestData.bytes("docker/" + file))));
    }

    DockerTargetSource source(boolean events) {
        ContainerSelector any = new ContainerSelector(Optional.empty(), List.of(), Optional.empty());
        source = new DockerTargetSource("tcp://127.0.0.1:" + docker.port(), Duration.ofSeconds(2),
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
}
