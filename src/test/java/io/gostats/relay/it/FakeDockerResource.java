package io.gostats.relay.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A Docker Engine API that fails on cue (WireMock on TCP): the test stubs its replies through WireMock's admin API
 * on {@code test.docker.port}. It starts broken: every list call gets a 500 until the test says otherwise.
 */
public class FakeDockerResource implements QuarkusTestResourceLifecycleManager {

    static final String LIST = "(/v[0-9.]+)?/containers/json";

    private WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(options().dynamicPort());
        server.start();
        server.stubFor(get(urlPathMatching(LIST)).willReturn(aResponse().withStatus(500)
                .withHeader("Content-Type", "application/json").withBody("{\"message\":\"daemon is broken\"}")));
        return Map.of("relay.discovery.docker.host", "tcp://127.0.0.1:" + server.port(),
                "test.docker.port", Integer.toString(server.port()));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
