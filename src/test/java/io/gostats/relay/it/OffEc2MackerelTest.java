package io.gostats.relay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.gostats.relay.sink.mackerel.api.FakeMackerel;
import io.gostats.relay.sink.mackerel.api.FakeMackerelResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * The whole relay off EC2 with {@code register-host=true} and no customIdentifier (no metadata service answers):
 * it runs on, live, collecting; health shows the Mackerel sink DOWN naming the property; Mackerel is never asked.
 */
@QuarkusTest
@WithTestResource(value = OffEc2MackerelTest.Resource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@TestProfile(OffEc2MackerelTest.Profile.class)
class OffEc2MackerelTest {

    public static class Profile implements QuarkusTestProfile {
    }

    /** The fake Mackerel with no host id given; the metadata service a loopback port nothing listens on. */
    public static class Resource extends FakeMackerelResource {
        @Override
        public Map<String, String> start() {
            Map<String, String> config = new HashMap<>(super.start());
            config.remove("relay.mackerel.host-id");
            try (ServerSocket closed = new ServerSocket(0)) {
                config.put("relay.instance.imds.url", "http://127.0.0.1:" + closed.getLocalPort());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            config.putAll(Map.of("relay.mackerel.register-host", "true",
                    "relay.mackerel.host-id-file", config.get("relay.mackerel.state-dir") + "/no-agent-id"));
            return config;
        }
    }

    FakeMackerel fake;

    @Test
    void downNamingThePropertyWhileTheRelayRunsOn() throws Exception {
        JsonPath ready = DockerOutageTest.waitFor(() -> DockerOutageTest.health("/q/health/ready"),
                h -> String.valueOf(h.getString("checks[0].data.'sink mackerel'")).contains("not on EC2"));
        String mackerel = ready.getString("checks[0].data.'sink mackerel'");
        System.out.println("off EC2, health says: sink mackerel " + mackerel);
        assertTrue(mackerel.startsWith("DOWN: NO HOST ID: relay.mackerel.custom-identifier: "), mackerel);
        assertEquals("UP", DockerOutageTest.health("/q/health/live").getString("status"));
        double cycles = MackerelFaultsTest.cycles();
        DockerOutageTest.waitFor(MackerelFaultsTest::cycles, n -> n >= cycles + 3);
        assertEquals(0, fake.requests().stream().filter(r -> r.path().startsWith("/api/v0/hosts")).count(),
                fake.requests().toString());
        assertEquals(0, fake.requestCount(FakeMackerel.TSDB));
    }
}
