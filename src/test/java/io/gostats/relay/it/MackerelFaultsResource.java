package io.gostats.relay.it;

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
import io.gostats.relay.sink.mackerel.FakeMackerel;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A strict fake Mackerel that stalls its first request (the dashboard call at the first snapshot) until the test
 * releases it, then refuses the graph definitions with a 401 whose message echoes the key; one good and one broken
 * static target; the relay's whole log in a file the test reads back.
 */
public class MackerelFaultsResource implements QuarkusTestResourceLifecycleManager {

    /** Recognisable anywhere it could leak. */
    static final String KEY = "CANARYkey7f3e9a1b5c2d8e4f6a0b";

    private FakeMackerel fake;
    private WireMockServer service;

    @Override
    public Map<String, String> start() {
        fake = FakeMackerel.start(KEY);
        String host = fake.addHost("instance-1", "i-0123456789");
        fake.failNext(1, FakeMackerel.Fault.stallUntilReleased());
        fake.failNext(FakeMackerel.GRAPH_DEFS, 1, FakeMackerel.Fault.status(401, "invalid api key " + KEY));
        service = new WireMockServer(options().dynamicPort());
        service.start();
        service.stubFor(get("/stats").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(TestData.bytes("samples/stats-churn.json"))));
        service.stubFor(get("/broken").willReturn(aResponse().withStatus(500).withBody("error " + KEY)));
        try {
            Path log = Files.createTempFile("gostats-relay", ".log");
            return Map.ofEntries(Map.entry("relay.mackerel.api-key", KEY),
                    Map.entry("relay.mackerel.api-base", fake.baseUri().toString()),
                    Map.entry("relay.mackerel.host-id", host),
                    Map.entry("relay.mackerel.dashboard.role", "Service:role"),
                    Map.entry("relay.mackerel.state-dir", Files.createTempDirectory("gostats-relay-state").toString()),
                    Map.entry("relay.discovery.static-targets", "127.0.0.1:" + service.port() + ",localhost:"
                            + service.port() + "/broken"),
                    Map.entry("relay.discovery.docker.enabled", "false"),
                    Map.entry("relay.interval", "1s"),
                    Map.entry("quarkus.log.file.enable", "true"),
                    Map.entry("quarkus.log.file.path", log.toString()),
                    Map.entry("quarkus.log.file.level", "ALL"),
                    Map.entry("quarkus.log.category.\"io.gostats\".level", "DEBUG"),
                    Map.entry("test.log.file", log.toString()));
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
