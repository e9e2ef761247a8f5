package io.gostats.relay.sink.mackerel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.gostats.relay.sink.mackerel.api.FakeMackerel;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The whole relay in real time against a Mackerel that refuses bodies over 4 KB with 413: mid-run mackerel-agent
 * re-registers (its old host retired, so {@code /tsdb} answers 404 for it, and its id file rewritten with the new
 * host's id). Every minute arrives whole, on one host or the other, none twice and none lost. Minutes of real time
 * (minute batches, each host's offset in the minute), so it runs with the end-to-end tests.
 */
@QuarkusTest
@Tag("e2e")
@TestProfile(AgentIdFileE2ETest.Profile.class)
@WithTestResource(value = AgentIdFileResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class AgentIdFileE2ETest {

    public static class Profile implements QuarkusTestProfile {
    }

    FakeMackerel fake;

    @ConfigProperty(name = "test.id-file")
    Path idFile;

    /** The minutes that reached {@code host}. */
    Set<Long> minutesOn(String host) {
        return fake.points().keySet().stream().filter(k -> k.hostId().equals(host)).map(FakeMackerel.PointKey::time)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    static void await(String what, Duration within, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!done.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not within " + within + ": " + what);
            Thread.sleep(500);
        }
    }

    @Test
    void anAgentReRegisteringMidRunLosesAndDoublesNoMinuteUnderA4KbBodyLimit() throws Exception {
        String first = Files.readString(idFile).strip();
        await("two minutes on the first host", Duration.ofSeconds(200), () -> minutesOn(first).size() >= 2);

        fake.retire(first);
        String second = fake.addHost("instance-1", "i-0123456789.ec2.amazonaws.com");
        Path tmp = idFile.resolveSibling("id.tmp");
        Files.writeString(tmp, second + "\n");
        Files.move(tmp, idFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        await("three minutes on the new host", Duration.ofSeconds(260), () -> minutesOn(second).size() >= 3);

        Map<List<Object>, Set<String>> hostsOf = new HashMap<>();
        fake.points().keySet().forEach(k -> hostsOf.computeIfAbsent(List.of(k.name(), k.time()), x -> new TreeSet<>())
                .add(k.hostId()));
        hostsOf.forEach((nameTime, hosts) -> assertEquals(1, hosts.size(), nameTime + " posted to " + hosts));

        Map<Long, Set<String>> namesByMinute = new TreeMap<>();
        fake.points().keySet().forEach(k -> namesByMinute.computeIfAbsent(k.time(), t -> new TreeSet<>())
                .add(k.name()));
        List<Long> minutes = List.copyOf(namesByMinute.keySet());
        // the first minute lacks the rates (no previous fetch); the newest may still be on its way
        Set<String> full = namesByMinute.get(minutes.get(minutes.size() - 2));
        for (int i = 1; i < minutes.size(); i++) {
            assertEquals(60, minutes.get(i) - minutes.get(i - 1), "no minute lost: " + minutes);
            if (i < minutes.size() - 1) {
                assertEquals(full, namesByMinute.get(minutes.get(i)), "minute " + minutes.get(i) + " arrived whole");
            }
        }
        List<FakeMackerel.Received> posts = fake.requests().stream()
                .filter(r -> r.path().equals(FakeMackerel.TSDB)).toList();
        long refused = posts.stream().filter(r -> r.bodyBytes() > AgentIdFileResource.BODY_LIMIT).count();
        System.out.printf("%d minutes (%d values each) on two hosts (%d on the first, %d on the second) in %d"
                + " requests, %d of them over the %d-byte limit (413)%n", minutes.size(), full.size(),
                minutesOn(first).size(), minutesOn(second).size(), posts.size(), refused,
                AgentIdFileResource.BODY_LIMIT);
        assertTrue(full.size() > 40, "three tasks and the host sums: " + full.size());
        assertTrue(refused >= 1 && refused <= 3, refused + " bodies refused: the size that worked is kept");
        assertTrue(fake.hosts().get(first).retired() && !fake.hosts().get(second).retired());
    }
}
