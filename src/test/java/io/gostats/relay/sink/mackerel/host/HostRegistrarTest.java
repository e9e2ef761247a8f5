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

import io.gostats.relay.instance.InstanceId;
import io.gostats.relay.sink.mackerel.api.FakeMackerel;
import io.gostats.relay.sink.mackerel.api.FakeMackerel.Fault;
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
        return new HostRegistrar(client, state, HostIdentifier.of("relay-0abc"), List.of("shop:api"),
                Duration.ofSeconds(5));
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
        String existing = fake.addHost("relay-0abc", "relay-0abc");
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
        HostRegistrar r = new HostRegistrar(client, state, HostIdentifier.of("relay-0abc"), List.of("no role"),
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
        HostRegistrar r = new HostRegistrar(client, state, HostIdentifier.of("relay-0abc"), List.of(),
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

    static final String EC2_ID = "i-0123456789abcdef0";
    static final String EC2_IDENTIFIER = EC2_ID + ".ec2.amazonaws.com";

    HostRegistrar onEc2(List<String> roles) {
        HostIdentifier ec2 = new HostIdentifier(Optional.empty(), () -> new InstanceId.Known(EC2_ID));
        return new HostRegistrar(client, state, ec2, roles, Duration.ofSeconds(5));
    }

    private long puts() {
        return fake.requests().stream().filter(r -> r.method().equals("PUT")).count();
    }

    /** On EC2 with no identifier: mackerel-agent's, and the relay's own name in meta.agent-name. */
    @Test
    void onEc2TheHostIsRegisteredUnderMackerelAgentsIdentifier() {
        String id = onEc2(List.of("shop:api")).obtain().orElseThrow();
        FakeMackerel.FakeHost h = fake.hosts().get(id);
        assertEquals(EC2_IDENTIFIER, h.customIdentifier());
        assertTrue(String.valueOf(h.meta().get("agent-name")).startsWith("gostats-relay/"), h.meta().toString());
    }

    /** Off EC2 with no identifier: nothing is asked of Mackerel, and the reason names the property. */
    @Test
    void offEc2NothingIsAskedAndThePropertyIsNamed() {
        HostRegistrar r = new HostRegistrar(client, state, new HostIdentifier(Optional.empty(),
                () -> new InstanceId.Unavailable("no EC2 instance id (Connection refused)")), List.of(),
                Duration.ofSeconds(5));
        for (int i = 0; i < 10; i++) {
            assertEquals(Optional.empty(), r.obtain());
        }
        assertEquals(0, fake.requestCount(), fake.requests().toString());
        assertTrue(r.noIdentifier().orElseThrow().startsWith("relay.mackerel.custom-identifier: "),
                r.noIdentifier().toString());
        HostIdSource ids = new HostIdSource(Optional.empty(), state.resolve("no-agent-id"), Optional.of(r));
        assertEquals(Optional.empty(), ids.current());
        assertTrue(ids.missing().startsWith("relay.mackerel.custom-identifier: "), ids.missing());
    }

    /** The relay's own host gets the roles it lacks at start; roles added in the web UI stay. */
    @Test
    void theRelaysOwnHostGetsMissingRolesAddedNeverRemoved() {
        String id = onEc2(List.of("shop:api")).obtain().orElseThrow();
        ok(await(client.putRoleFullnames(id, List.of("shop:api", "ops:by-hand")))); // a user, in the web UI
        HostRegistrar r = onEc2(List.of("shop:api", "shop:batch"));
        new HostIdSource(Optional.empty(), state.resolve("no-agent-id"), Optional.of(r), client, Duration.ofSeconds(5))
                .check();
        assertEquals(java.util.Set.of("shop:api", "ops:by-hand", "shop:batch"),
                java.util.Set.copyOf(fake.hosts().get(id).roleFullnames()));
        long puts = puts();
        new HostIdSource(Optional.empty(), state.resolve("no-agent-id"), Optional.of(r), client, Duration.ofSeconds(5))
                .check();
        assertEquals(puts, puts(), "nothing to add: no call");
    }

    /** A host found again by its identifier (the state directory lost) is the relay's by its agent-name. */
    @Test
    void theRelaysOwnHostFoundAgainGetsMissingRoles() throws Exception {
        String id = onEc2(List.of("shop:api")).obtain().orElseThrow();
        java.nio.file.Files.delete(state.resolve(HostRegistrar.FILE));
        assertEquals(Optional.of(id), onEc2(List.of("shop:api", "shop:batch")).obtain());
        assertEquals(List.of("shop:api", "shop:batch"), fake.hosts().get(id).roleFullnames());
    }

    /** The host of mackerel-agent (or of the AWS integration: no agent-name) is posted to, never changed. */
    @Test
    void aHostOfMackerelAgentOrTheAwsIntegrationIsNeverTouched() throws Exception {
        String agent = fake.addHostOf("mackerel-agent/0.84.0 (Revision abc)", "ip-10-0-0-1", EC2_IDENTIFIER,
                "web:app");
        assertEquals(Optional.of(agent), onEc2(List.of("shop:api")).obtain());
        HostRegistrar r = onEc2(List.of("shop:api"));
        new HostIdSource(Optional.empty(), state.resolve("no-agent-id"), Optional.of(r), client, Duration.ofSeconds(5))
                .check();
        assertEquals(List.of("web:app"), fake.hosts().get(agent).roleFullnames());
        assertFalse(r.kept().isPresent(), "another client's host is not kept as the relay's");
        r.retire();
        assertFalse(fake.hosts().get(agent).retired(), "auto-retire never retires the agent's host");
        fake.retire(agent); // the agent's AUTO_RETIREMENT, then the AWS integration's host
        String aws = fake.addHost("i-0123456789abcdef0", EC2_IDENTIFIER);
        r.forget(agent);
        assertEquals(Optional.of(aws), r.obtain());
        assertEquals(List.of(), fake.hosts().get(aws).roleFullnames());
        assertEquals(0, puts(), "no role call to a host the relay did not register");
        assertEquals(0, fake.requests().stream().filter(x -> x.path().endsWith("/retire")).count());
    }
}
