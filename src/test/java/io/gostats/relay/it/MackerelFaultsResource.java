package io.gostats.relay.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.gostats.relay.sink.mackerel.api.FakeMackerel;
import io.gostats.relay.sink.mackerel.api.FakeMackerelResource;

/**
 * The strict fake Mackerel of {@link FakeMackerelResource}, stalling its first request (the dashboard call at the
 * first snapshot) until the test releases it, then refusing the graph definitions with a 401 whose message echoes
 * the key; beside the good target a broken one whose 500 body echoes the key too; the relay's whole log in a file.
 */
public class MackerelFaultsResource extends FakeMackerelResource {

    static final String KEY = FakeMackerelResource.KEY;

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        fake.failNext(1, FakeMackerel.Fault.stallUntilReleased());
        fake.failNext(FakeMackerel.GRAPH_DEFS, 1, FakeMackerel.Fault.status(401, "invalid api key " + KEY));
        service.stubFor(get("/broken").willReturn(aResponse().withStatus(500).withBody("error " + KEY)));
        try {
            Path log = Files.createTempFile("gostats-relay", ".log");
            config.putAll(Map.of("relay.mackerel.dashboard.role", "Service:role",
                    "relay.discovery.static-targets", config.get("relay.discovery.static-targets") + ",localhost:"
                            + service.port() + "/broken",
                    "quarkus.log.file.enable", "true",
                    "quarkus.log.file.path", log.toString(),
                    "quarkus.log.file.level", "ALL",
                    "quarkus.log.category.\"io.gostats\".level", "DEBUG",
                    "test.log.file", log.toString()));
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
