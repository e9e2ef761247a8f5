package io.gostats.relay.sink.mackerel.host;

import io.gostats.relay.sink.mackerel.api.HostRegistration;
import io.gostats.relay.sink.mackerel.api.WithFakeMackerel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
}
