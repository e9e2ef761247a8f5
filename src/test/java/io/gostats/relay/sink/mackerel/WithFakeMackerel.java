package io.gostats.relay.sink.mackerel;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh strict fake Mackerel and a client of it for each test (a @QuarkusTest: the client needs the runtime). */
abstract class WithFakeMackerel {

    static final String KEY = "fixtureKey0123456789abcdefSECRET";

    FakeMackerel fake;
    MackerelClient client;

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
