package io.gostats.relay.e2e;

import static io.gostats.relay.e2e.Scrapes.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.gostats.relay.it.Exposition;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Every network shape of an ECS task on a real engine ({@link NetworkModesResource}): the relay must find each
 * container at the address that reaches it from the host and fetch it there. Docker lists the network mode
 * ({@code HostConfig.NetworkMode}); podman does not, so the relay inspects a container that shows neither a
 * published port nor an address: both paths run ({@link NetworkModesOnDockerE2ETest}, {@link NetworkModesOnPodmanE2ETest}).
 */
@Tag("e2e")
abstract class NetworkModesE2ETest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("relay.interval", "2s");
        }
    }

    @ConfigProperty(name = "e2e.expected")
    String expectedSpec;

    @ConfigProperty(name = "e2e.engine")
    String engineId;

    @ConfigProperty(name = "e2e.setup-error")
    Optional<String> setupError;

    @Test
    void eachShapeIsFetchedWhereItCanBeReached() {
        TasksResource.setupError(setupError)
                .ifPresent(why -> fail("end-to-end setup failed (nothing was tested): " + why));
        Map<String, TreeSet<String>> expected = NetworkModesResource.parse(expectedSpec);
        Exposition e = await("every shape up at its address", Duration.ofSeconds(15),
                x -> shown(x).equals(expected) && x.named("gostats_up").stream().allMatch(s -> s.value() == 1.0),
                x -> "expected " + expected + ", shown " + shown(x) + "\n" + x.named("gostats_up"));
        System.out.println("network modes e2e on " + Engine.of(engineId) + ": " + shown(e));
        for (String name : expected.keySet()) {
            long goroutines = e.named("gostats_goroutines").stream()
                    .filter(s -> name.equals(s.labels().get("container"))).count();
            assertEquals(expected.get(name).size(), goroutines, "one gostats_goroutines per target of " + name);
        }
        assertTrue(e.named("gostats_up").stream().noneMatch(s -> s.labels().get("container").contains("pause")),
                "the pause container is not a target");
    }

    /** container name -> the targets it is shown at (target label + the path label of multiport). */
    static Map<String, TreeSet<String>> shown(Exposition e) {
        return e.named("gostats_up").stream().collect(Collectors.groupingBy(s -> s.labels().get("container"),
                TreeMap::new, Collectors.mapping(s -> s.labels().get("target") + path(s), Collectors.toCollection(
                        TreeSet::new))));
    }

    private static String path(Exposition.Sample s) {
        return s.labels().get("container").contains("-multi-") ? "/debug/stats" : "/stats";
    }
}
