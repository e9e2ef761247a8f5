package io.gostats.relay.sink.mackerel;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.gostats.relay.TestData;
import io.gostats.relay.sink.mackerel.api.FakeMackerel;
import io.gostats.relay.sink.mackerel.api.FakeMackerelResource;

/**
 * A strict fake Mackerel that refuses bodies over {@value #BODY_LIMIT} bytes with 413 and answers 404 to values of a
 * retired host, one host named in a mackerel-agent id file, and three Go services as static targets (a minute is
 * then about 62 values, 7 KB: more than one body).
 */
public class AgentIdFileResource extends FakeMackerelResource {

    static final int BODY_LIMIT = 4096;

    /** A fake and services of its own; the parent injects and stops them. */
    @Override
    public Map<String, String> start() {
        fake = FakeMackerel.start(KEY);
        fake.bodyLimit(BODY_LIMIT);
        fake.tsdbUnknownHostStatus(404);
        String host = fake.addHost("instance-1", "i-0123456789.ec2.amazonaws.com");
        service = new WireMockServer(options().dynamicPort());
        service.start();
        byte[] stats = TestData.bytes("samples/stats-churn.json");
        service.stubFor(get("/stats").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(stats)));
        try {
            Path state = Files.createTempDirectory("gostats-relay-state");
            Path idFile = state.resolve("mackerel-agent-id");
            Files.writeString(idFile, host + "\n");
            // three targets on one server: the whole of 127/8 is loopback, and a target is its address and port
            int port = service.port();
            return Map.of("relay.mackerel.api-key", KEY,
                    "relay.mackerel.api-base", fake.baseUri().toString(),
                    "relay.mackerel.host-id-file", idFile.toString(),
                    "relay.mackerel.state-dir", state.toString(),
                    "relay.discovery.static-targets", "127.0.0.1:" + port + ",127.0.0.2:" + port + ",127.0.0.3:" + port,
                    "relay.discovery.docker.enabled", "false",
                    "relay.interval", "10s",
                    "test.id-file", idFile.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
