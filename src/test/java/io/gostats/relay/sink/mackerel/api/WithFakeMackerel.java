package io.gostats.relay.sink.mackerel.api;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.smallrye.mutiny.Uni;

/** A fresh strict fake Mackerel and a client of it for each test (a @QuarkusTest: the client needs the runtime). */
public abstract class WithFakeMackerel {

    /** QuarkusRestClientBuilder needs the Quarkus runtime; the relay itself only has to stay out of Docker. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("relay.discovery.docker.enabled", "false");
        }
    }

    protected static final String KEY = "fixtureKey0123456789abcdefSECRET";

    protected FakeMackerel fake;
    protected MackerelClient client;

    public static <T> T await(Uni<T> uni) {
        return uni.await().atMost(Duration.ofSeconds(20));
    }

    public static <T> T ok(PostOutcome<T> outcome) {
        if (outcome instanceof PostOutcome.Ok<T> ok) {
            return ok.value();
        }
        throw new AssertionError("not Ok: " + outcome);
    }

    @BeforeEach
    void startFake() {
        fake = FakeMackerel.start(KEY);
        client = new MackerelClient(fake.baseUri(), KEY, Duration.ofSeconds(5));
    }

    @AfterEach
    void stopFake() {
        client.close();
        fake.close();
    }
}
