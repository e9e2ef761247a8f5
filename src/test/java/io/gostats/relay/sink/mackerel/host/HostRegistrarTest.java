package io.gostats.relay.sink.mackerel.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.gostats.relay.sink.mackerel.api.FakeMackerel.Fault;
import io.gostats.relay.sink.mackerel.api.HostRegistration;
import io.gostats.relay.sink.mackerel.api.WithFakeMackerel;
import io.gostats.relay.sink.mackerel.delivery.MutableClock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(WithFakeMackerel.Profile.class)
class HostRegistrarTest extends WithFakeMackerel {

    @TempDir
    Path state;

    HostRegistrar registrar() {
        return new HostRegistrar(client, state,
                HostRegistration.of("i-0abc", "i-0abc", List.of("shop:api")), Duration.ofSeconds(5));
    }

    @Test
    void registersOnceAndKeepsTheIdAcrossRestarts() {
        Optional<String> id = registrar().obtain();
        assertTrue(id.isPresent());
        assertEquals(List.of("shop:api"), fake.hosts().get(id.get()).roleFullnames());
        int requests = fake.requestCount();
        assertEquals(id, registrar().obtain(), "a restarted relay reads its kept id");
        assertEquals(requests, fake.requestCount(), "without asking Mackerel again");
        assertEquals(1, fake.hosts().size());
    }

    @Test
    void findsAHostWithTheSameIdentifierInsteadOfRegisteringTwice() {
        String existing = fake.addHost("i-0abc", "i-0abc");
        assertEquals(Optional.of(existing), registrar().obtain());
        assertEquals(1, fake.hosts().size());
    }

    @Test
    void retiresTheHostItRegisteredAndForgetsIt() {
        String id = registrar().obtain().orElseThrow();
        registrar().retire();
        assertTrue(fake.hosts().get(id).retired());
        assertFalse(registrar().kept().isPresent());
    }

    @Test
    void hostIdSourcePrefersTheAgentsFileOverRegistering() throws Exception {
        java.nio.file.Files.writeString(state.resolve("agent-id"), "agentHost1");
        HostIdSource ids = new HostIdSource(Optional.empty(), state.resolve("agent-id"), Optional.of(registrar()));
        assertEquals(Optional.of("agentHost1"), ids.current());
        assertEquals(0, fake.hosts().size());
    }

    /** mackerel-agent does not retry a 4xx on creation either: the sink reports down with the property to fix. */
    @Test
    void aRefusedRegistrationIsNotTriedAgain() {
        HostRegistrar r = new HostRegistrar(client, state, HostRegistration.of("i-0abc", "i-0abc", List.of("no role")),
                Duration.ofSeconds(5));
        assertEquals(Optional.empty(), r.obtain());
        assertTrue(r.gaveUp().orElseThrow().startsWith("relay.mackerel."), r.gaveUp().toString());
        int calls = fake.requestCount();
        r.obtain();
        r.obtain();
        assertEquals(calls, fake.requestCount(), "no call after a refusal");
    }

    /** Ten minutes of Mackerel answering 503: a few calls, not one a second. */
    @Test
    void whileMackerelFailsCallsAreSpacedByABackoff() {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
        HostRegistrar r = new HostRegistrar(client, state, HostRegistration.of("i-0abc", "i-0abc", List.of()),
                Duration.ofSeconds(5), clock);
        fake.failUntilCleared(Fault.status(503));
        for (int s = 0; s < 600; s++) {
            r.obtain();
            clock.advance(Duration.ofSeconds(1));
        }
        assertTrue(fake.requestCount() <= 6, fake.requestCount() + " calls in 10 minutes");
        fake.clearFailures();
        clock.advance(Duration.ofMinutes(10));
        assertTrue(r.obtain().isPresent(), "registered once Mackerel answers");
    }

    /** mackerel-agent checks its id at every start; a host of the relay's own found retired is replaced, counted. */
    @Test
    void aKeptHostFoundRetiredAtStartIsReplaced() {
        String first = registrar().obtain().orElseThrow();
        fake.retire(first);
        HostRegistrar r = registrar();
        HostIdSource ids = new HostIdSource(Optional.empty(), state.resolve("no-agent-id"), Optional.of(r), client,
                Duration.ofSeconds(5));
        ids.check();
        String second = ids.current().orElseThrow();
        assertNotEquals(first, second);
        assertFalse(fake.hosts().get(second).retired());
        assertEquals(1, r.registered());
        assertEquals(Optional.of(second), r.kept());
    }
}
