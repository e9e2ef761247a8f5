package io.gostats.relay.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.gostats.relay.sink.mackerel.api.FakeMackerel;

/**
 * Before the relay starts: a throw-away podman ({@code podman-env up}) with two ECS-labelled tasks of cluster
 * {@value #CLUSTER}: {@value #BURN_FAMILY} keeps half a core busy ({@code -burn 0.5}), {@value #HOLD_FAMILY} holds
 * {@value #HOLD_MIB} MiB under a {@value #LIMIT_MIB} MiB limit. A strict fake Mackerel receives the posts. A failed
 * setup is handed to the test as {@code e2e.setup-error}; stopping is {@link PodmanTasksResource}'s.
 */
public class ContainerStatsTasksResource extends PodmanTasksResource {

    static final String CLUSTER = "res";
    static final String BURN_FAMILY = "res-burn";
    static final String HOLD_FAMILY = "res-hold";
    static final double BURN_CORES = 0.5;
    static final int HOLD_MIB = 96;
    static final int LIMIT_MIB = 256;
    static final String MACKEREL_KEY = "e2eContainerStatsKey0123456789SECRET";

    @Override
    public Map<String, String> start() {
        safetyNet = new Thread(PodmanEnv::down, "podman-env-down");
        Runtime.getRuntime().addShutdownHook(safetyNet);
        try {
            Cmd.requireTools();
            String dockerHost = PodmanEnv.up();
            Task burn = start(BURN_FAMILY, List.of(), List.of("-burn", Double.toString(BURN_CORES)));
            Task hold = start(HOLD_FAMILY, List.of("-m", LIMIT_MIB + "m"), List.of("-hold-mib",
                    Integer.toString(HOLD_MIB)));
            mackerel = FakeMackerel.start(MACKEREL_KEY);
            String host = mackerel.addHost("container-instance-1", "i-0e2e0e2e0e2e0e2e1");
            return Map.of(
                    "relay.discovery.docker.host", dockerHost,
                    "relay.discovery.docker.labels", "com.amazonaws.ecs.cluster=" + CLUSTER,
                    "relay.mackerel.api-key", MACKEREL_KEY,
                    "relay.mackerel.api-base", mackerel.baseUri().toString(),
                    "relay.mackerel.host-id", host,
                    "relay.mackerel.state-dir", Files.createTempDirectory("gostats-relay-e2e-res").toString(),
                    "e2e.burn", burn.spec(),
                    "e2e.hold", hold.spec());
        } catch (RuntimeException | IOException e) {
            stop();
            return Map.of(
                    "relay.discovery.docker.enabled", "false",
                    "e2e.burn", "none",
                    "e2e.hold", "none",
                    "e2e.setup-error", java.util.Base64.getEncoder().encodeToString(
                            String.valueOf(e.getMessage()).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
    }

    /** A task of {@code family} with extra podman options and app flags, as {@link Task#start} makes them. */
    private static Task start(String family, List<String> podmanOptions, List<String> appFlags) {
        String taskId = Task.randomHex(16);
        String name = "ecs-" + family + "-1-app-" + Task.randomHex(10);
        List<String> args = new ArrayList<>(List.of("run", "-d", "--init", "--name", name, "-p", "8080",
                "--label", "com.amazonaws.ecs.cluster=" + CLUSTER,
                "--label", "com.amazonaws.ecs.container-name=app",
                "--label", "com.amazonaws.ecs.task-arn=" + Task.REGION_ACCOUNT + ":task/" + CLUSTER + "/" + taskId,
                "--label", "com.amazonaws.ecs.task-definition-family=" + family,
                "--label", "com.amazonaws.ecs.task-definition-version=1"));
        args.addAll(podmanOptions);
        args.addAll(List.of(PodmanEnv.IMAGE, "/app", "-listen", ":8080"));
        args.addAll(appFlags);
        PodmanEnv.podman(args.toArray(String[]::new)).orThrow();
        String mapping = PodmanEnv.podman("port", name, "8080/tcp").orThrow().stdout().strip().split("\n")[0].strip();
        int hostPort = Integer.parseInt(mapping.substring(mapping.lastIndexOf(':') + 1));
        Task t = new Task(name, hostPort, CLUSTER, taskId, family, "1", "app", 0, false);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try {
                if (t.get("/healthz").status() == 200) {
                    return t;
                }
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(name + " did not answer /healthz: " + e);
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
