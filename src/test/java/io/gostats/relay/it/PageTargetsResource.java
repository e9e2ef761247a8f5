package io.gostats.relay.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;

import io.gostats.relay.FreePorts;
import io.gostats.relay.TestData;
import io.gostats.relay.sink.mackerel.api.FakeMackerel;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * What the targets page shows, served for real: a Docker API (WireMock) listing two ECS tasks whose published port
 * is a Go service (the churn sample), one of them with a hostile name and family label; a static target on a port
 * that refuses; and a strict fake Mackerel. Test-side properties: {@code test.mackerel.api-key},
 * {@code test.refused.port}, {@code test.stats.port}.
 */
public class PageTargetsResource implements QuarkusTestResourceLifecycleManager {

    public static final String HOSTILE_NAME = "<img src=x onerror=alert(1)>";
    public static final String HOSTILE_FAMILY = "<script>alert(2)</script>";
    public static final String TASK_ARN = "arn:aws:ecs:ap-northeast-1:123456789012:task/demo/"
            + "0123456789abcdef0123456789abcdef";
    public static final String HOSTILE_TASK_ARN = "arn:aws:ecs:ap-northeast-1:123456789012:task/demo/"
            + "fedcba9876543210fedcba9876543210";
    static final String API_KEY = "pageTestKey0123456789abcdefSECRET";

    private WireMockServer service;
    private WireMockServer docker;
    private FakeMackerel mackerel;

    @Override
    public Map<String, String> start() {
        service = new WireMockServer(options().dynamicPort());
        service.start();
        service.stubFor(get("/stats").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(TestData.bytes("samples/stats-churn.json"))));
        docker = new WireMockServer(options().dynamicPort());
        docker.start();
        docker.stubFor(get(urlPathMatching(FakeDockerResource.LIST)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(containers(service.port()))));
        mackerel = FakeMackerel.start(API_KEY);
        String host = mackerel.addHost("instance-1", "i-0123456789");
        int refused = FreePorts.any();
        try {
            return Map.ofEntries(Map.entry("relay.discovery.docker.host", "tcp://127.0.0.1:" + docker.port()),
                    Map.entry("relay.discovery.docker.events", "false"),
                    Map.entry("relay.discovery.static-targets", "127.0.0.1:" + refused),
                    Map.entry("relay.mackerel.api-key", API_KEY),
                    Map.entry("relay.mackerel.api-base", mackerel.baseUri().toString()),
                    Map.entry("relay.mackerel.host-id", host),
                    Map.entry("relay.mackerel.state-dir", Files.createTempDirectory("gostats-page").toString()),
                    Map.entry("relay.interval", "1s"),
                    Map.entry("test.mackerel.api-key", API_KEY),
                    Map.entry("test.refused.port", Integer.toString(refused)),
                    Map.entry("test.stats.port", Integer.toString(service.port())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String containers(int publicPort) {
        try {
            return new ObjectMapper().writeValueAsString(List.of(
                    container("a1".repeat(32), "ecs-api-7-api-d6f8a0c2e4b6d8f0a201", publicPort, Map.of(
                            "com.amazonaws.ecs.cluster", "demo",
                            "com.amazonaws.ecs.container-name", "api",
                            "com.amazonaws.ecs.task-arn", TASK_ARN,
                            "com.amazonaws.ecs.task-definition-family", "api",
                            "com.amazonaws.ecs.task-definition-version", "7")),
                    container("b2".repeat(32), HOSTILE_NAME, publicPort, Map.of(
                            "com.amazonaws.ecs.cluster", "demo",
                            "com.amazonaws.ecs.container-name", HOSTILE_NAME,
                            "com.amazonaws.ecs.task-arn", HOSTILE_TASK_ARN,
                            "com.amazonaws.ecs.task-definition-family", HOSTILE_FAMILY,
                            "com.amazonaws.ecs.task-definition-version", "1"))));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, Object> container(String id, String name, int publicPort, Map<String, String> labels) {
        return Map.of("Id", id, "Names", List.of("/" + name), "Image", "api:1", "State", "running",
                "Ports", List.of(Map.of("IP", "0.0.0.0", "PrivatePort", 8080, "PublicPort", publicPort, "Type", "tcp")),
                "Labels", labels, "HostConfig", Map.of("NetworkMode", "bridge"));
    }

    @Override
    public void stop() {
        if (service != null) {
            service.stop();
        }
        if (docker != null) {
            docker.stop();
        }
        if (mackerel != null) {
            mackerel.close();
        }
    }
}
