package io.gostats.relay.e2e;

import static io.gostats.relay.e2e.Scrapes.await;
import static io.gostats.relay.e2e.Scrapes.cycleTime;
import static io.gostats.relay.e2e.Scrapes.discoveryTargets;
import static io.gostats.relay.e2e.Scrapes.scrape;
import static io.gostats.relay.e2e.Scrapes.up;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.gostats.relay.collect.container.ContainerStatsParser;
import io.gostats.relay.it.Exposition;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Races with the real Docker Engine, made to happen every time by a {@link DockerSocketProxy} between the relay and
 * the engine's socket: a task stopped between the relay's listing and its stats read (Docker answers that read with
 * 200 and a zero read time: an ordinary ECS task stop, which must log nothing), and the event stream cut mid-way (the
 * relay's listing covers what the lost events said, and it follows the events again). A long interval (10 s) tells
 * an event's effect (at once) from the next listing's.
 */
@QuarkusTest
@Tag("e2e")
@TestProfile(DockerRacesE2ETest.Profile.class)
@WithTestResource(value = DockerRacesResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DockerRacesE2ETest {

    static final Duration INTERVAL = Duration.ofSeconds(10);

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // room for a docker stop inside a held stats read on a loaded 2-core machine
            return Map.of("relay.interval", INTERVAL.toSeconds() + "s", "relay.collect.timeout", "8s",
                    "quarkus.log.category.\"io.gostats.relay.collect.container\".level", "DEBUG");
        }
    }

    @ConfigProperty(name = "e2e.tasks")
    String taskSpecs;

    @ConfigProperty(name = "relay.discovery.docker.host")
    Optional<String> dockerHost;

    @ConfigProperty(name = "e2e.setup-error")
    Optional<String> setupError;

    static List<Task> tasks;
    static final Map<String, String> timings = new LinkedHashMap<>();

    @BeforeEach
    void init() {
        TasksResource.setupError(setupError)
                .ifPresent(why -> fail("end-to-end setup failed (nothing was tested): " + why));
        if (tasks == null) {
            tasks = new ArrayList<>(Task.parseAll(taskSpecs));
            await("the 4 tasks up", INTERVAL.multipliedBy(2).plusSeconds(5), this::allUp, this::shown);
        }
    }

    @AfterAll
    static void summary() {
        System.out.println("docker races e2e: " + timings.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", ")));
        tasks = null;
        timings.clear();
    }

    String host() {
        return dockerHost.orElseThrow();
    }

    String shown(Exposition e) {
        return "relay_discovery_targets " + discoveryTargets(e, host()) + ", cycle " + cycleTime(e) + ", gostats_up:\n  "
                + e.named("gostats_up").stream().map(Object::toString).collect(Collectors.joining("\n  "));
    }

    boolean allUp(Exposition e) {
        return tasks.stream().allMatch(t -> up(e, t) == 1.0) && e.named("gostats_up").size() == tasks.size();
    }

    static String id(Task t) {
        return Engine.DOCKER.cli("inspect", "-f", "{{.Id}}", t.name()).orThrow().lastLine();
    }

    /**
     * The relay's stats read of one task is held at the socket until {@code docker stop} of that task returned, then
     * goes to the engine: Docker's real answer (200, zero read time) reaches the relay. No warning; the reason is
     * logged at DEBUG; the task is gone from /q/metrics by the next cycle, the others stay.
     */
    @Test
    @Order(1)
    void aTaskStoppedBetweenListingAndItsStatsReadGoesQuietly() throws Exception {
        Task victim = tasks.get(0);
        String id = id(victim);
        try (LogCapture log = LogCapture.start()) {
            long[] stopMs = {0};
            CompletableFuture<String> answer = DockerRacesResource.proxy.holdOnce(
                    p -> p.matches("(/v[0-9.]+)?/containers/" + id + "/stats\\?.*"), () -> {
                        long t0 = System.nanoTime();
                        Engine.DOCKER.cli("stop", victim.name()).orThrow();
                        stopMs[0] = (System.nanoTime() - t0) / 1_000_000;
                    });
            String head = answer.get(INTERVAL.multipliedBy(2).toSeconds() + 30, TimeUnit.SECONDS);
            timings.put("docker stop inside the held stats read", stopMs[0] + " ms");
            long raced = System.nanoTime();
            assertTrue(head.startsWith("HTTP/1.1 200"), "Docker's answer to the stats read of a stopped container: "
                    + head);
            assertTrue(head.contains("\"read\":\"0001-01-01T00:00:00Z\""), "a zero read time: " + head);
            tasks.remove(victim);
            Exposition e = await(victim.name() + " gone, the others up", INTERVAL.multipliedBy(2).plusSeconds(5),
                    x -> allUp(x) && discoveryTargets(x, host()) == tasks.size(), this::shown);
            timings.put("stopped task gone after", (System.nanoTime() - raced) / 1_000_000 + " ms");
            assertTrue(e.named("gostats_up").stream().noneMatch(s -> victim.name().equals(s.labels().get("container"))),
                    shown(e));
            List<LogCapture.Line> debug = log.lines(l -> l.logger().endsWith("ContainerReads")
                    && l.message().contains(id) && l.message().contains(ContainerStatsParser.DOES_NOT_RUN));
            assertEquals(1, debug.size(), "the race happened and was logged at DEBUG only: " + log.lines());
            assertEquals(List.of(), log.warnings(), "an ordinary stop is no warning: " + log.lines());
        } finally {
            Engine.DOCKER.removeNow(victim.name());
        }
    }

    /**
     * The event stream's connection closed by the proxy right after a cycle: a task stopped then is not seen by an
     * event (the relay still knows it), the next cycle's listing drops it and the relay follows the events again, so
     * that the next stop drops its task at once, before any cycle. Nothing is logged above DEBUG.
     */
    @Test
    @Order(2)
    void theEventStreamCutMidWay() {
        DockerSocketProxy proxy = DockerRacesResource.proxy;
        await("the relay follows Docker's events", INTERVAL.multipliedBy(2).plusSeconds(5),
                x -> proxy.eventStreams() >= 1, this::shown);
        Task first = tasks.get(0);
        Task second = tasks.get(1);
        try (LogCapture log = LogCapture.start()) {
            // right after a cycle ended: the next one is most of an interval away
            double c0 = cycleTime(scrape());
            Exposition e = await("a new cycle", INTERVAL.multipliedBy(2).plusSeconds(5), x -> cycleTime(x) > c0,
                    this::shown);
            double cycle = cycleTime(e);
            int cut = proxy.cutEvents();
            long t0 = System.nanoTime();
            assertTrue(cut >= 1, "event stream connections cut: " + cut);
            Engine.DOCKER.cli("stop", first.name()).orThrow();
            Task.sleep(1000);
            e = scrape();
            timings.put("stop after the cut", (System.nanoTime() - t0) / 1_000_000 + " ms");
            if (cycleTime(e) != cycle) {
                fail("a cycle ran before the check (the machine is too slow for this interval): " + shown(e));
            }
            assertEquals(tasks.size(), discoveryTargets(e, host()),
                    "no event after the cut: the stopped task is still known until the next listing; " + shown(e));
            tasks.remove(first);
            e = await("the next cycle's listing drops " + first.name() + " and the relay follows events again",
                    INTERVAL.multipliedBy(2).plusSeconds(5),
                    x -> cycleTime(x) > cycle && discoveryTargets(x, host()) == tasks.size()
                            && proxy.eventStreams() >= 1, x -> shown(x) + "; event streams " + proxy.eventStreams());
            timings.put("dropped by the listing after", (System.nanoTime() - t0) / 1_000_000 + " ms");
            double next = cycleTime(e);
            Task.sleep(500); // the new stream is up (its request sent); give the engine a moment to register it
            long t1 = System.nanoTime();
            Engine.DOCKER.cli("stop", second.name()).orThrow();
            tasks.remove(second);
            e = await(second.name() + " dropped by its die event, before the next cycle", Duration.ofSeconds(5),
                    x -> discoveryTargets(x, host()) == tasks.size(), this::shown);
            timings.put("dropped by the event after", (System.nanoTime() - t1) / 1_000_000 + " ms");
            assertEquals(next, cycleTime(e), "the event, not a cycle, dropped it: " + shown(e));
            assertEquals(List.of(), log.warnings(), "a cut event stream is no warning: " + log.lines());
        } finally {
            Engine.DOCKER.removeNow(first.name());
            Engine.DOCKER.removeNow(second.name());
        }
    }
}
