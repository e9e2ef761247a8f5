package io.gostats.relay.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.gostats.relay.TestData;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Two Go services as the relay sees them: one answering the churn sample, one answering 500. */
public class StaticTargetsResource implements QuarkusTestResourceLifecycleManager {

    private WireMockServer server;
    private WireMockServer broken;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(options().dynamicPort());
        server.start();
        server.stubFor(get("/stats").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(TestData.bytes("samples/stats-churn.json"))));
        broken = new WireMockServer(options().dynamicPort());
        broken.start();
        broken.stubFor(get("/broken").willReturn(aResponse().withStatus(500).withBody("boom")));
        return Map.of("relay.discovery.static-targets",
                "127.0.0.1:" + server.port() + "," + "127.0.0.1:" + broken.port() + "/broken",
                "test.stats.port", Integer.toString(server.port()),
                "test.broken.port", Integer.toString(broken.port()));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
        if (broken != null) {
            broken.stop();
        }
    }
}
