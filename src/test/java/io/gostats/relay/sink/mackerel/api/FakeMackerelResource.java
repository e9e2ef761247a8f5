package io.gostats.relay.sink.mackerel.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.gostats.relay.TestData;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** A strict fake Mackerel with one host, and one Go service (the churn sample) as a static target. */
public class FakeMackerelResource implements QuarkusTestResourceLifecycleManager {

    public static final String KEY = "sinkTestKey0123456789abcdefSECRET";

    protected FakeMackerel fake;
    protected WireMockServer service;

    @Override
    public Map<String, String> start() {
        fake = FakeMackerel.start(KEY);
        String host = fake.addHost("instance-1", "i-0123456789");
        service = new WireMockServer(options().dynamicPort());
        service.start();
        service.stubFor(get("/stats").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(TestData.bytes("samples/stats-churn.json"))));
        try {
            return Map.of("relay.mackerel.api-key", KEY,
                    "relay.mackerel.api-base", fake.baseUri().toString(),
                    "relay.mackerel.host-id", host,
                    "relay.mackerel.state-dir", Files.createTempDirectory("gostats-relay-state").toString(),
                    "relay.discovery.static-targets", "127.0.0.1:" + service.port(),
                    "relay.discovery.docker.enabled", "false",
                    "relay.interval", "1s");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(fake, new TestInjector.MatchesType(FakeMackerel.class));
    }

    @Override
    public void stop() {
        if (service != null) {
            service.stop();
        }
        if (fake != null) {
            fake.close();
        }
    }
}
