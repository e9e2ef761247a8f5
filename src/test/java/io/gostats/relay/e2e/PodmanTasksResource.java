package io.gostats.relay.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.gostats.relay.sink.mackerel.api.FakeMackerel;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Before the relay starts: a throw-away podman serving the Docker API ({@code podman-env up}), three tasks of the
 * family {@value #FAMILY} (each with a different number of idle goroutines, one allocating garbage so that GCs
 * happen) and one container of another family that the relay must leave alone. Hands the relay the Docker endpoint
 * and the test the tasks ({@code e2e.tasks}, {@code e2e.ignored}). Stops all of it afterwards, and at once when
 * starting fails half-way.
 */
public class PodmanTasksResource implements QuarkusTestResourceLifecycleManager {

    static final String CLUSTER = "demo";
    static final String FAMILY = "demo-api";
    static final String SELECTOR = "com.amazonaws.ecs.task-definition-family=" + FAMILY;

    static final String MACKEREL_KEY = "e2eMackerelKey0123456789abcdefSECRET";

    /** Tears podman down should the JVM end without {@link #stop()} (Quarkus failing to start the relay, say). */
    Thread safetyNet;
    /** The relay posts to this strict fake Mackerel, as it would post to the real one. */
    FakeMackerel mackerel;

    /**
     * A setup that fails (a tool missing, podman not starting) does not throw: Quarkus would then report the first
     * test as an error and skip the others. The relay starts without Docker instead and every test fails with the
     * reason ({@code e2e.setup-error}, Base64: config would expand a {@code $} in a command's output).
     */
    @Override
    public Map<String, String> start() {
        long t0 = System.nanoTime();
        safetyNet = new Thread(PodmanEnv::down, "podman-env-down");
        Runtime.getRuntime().addShutdownHook(safetyNet);
        try {
            Cmd.requireTools();
            String dockerHost = PodmanEnv.up();
            long up = System.nanoTime();
            List<Task> tasks = new ArrayList<>();
            tasks.add(Task.start(CLUSTER, FAMILY, "3", "api", 10, false));
            tasks.add(Task.start(CLUSTER, FAMILY, "3", "api", 25, true));
            tasks.add(Task.start(CLUSTER, FAMILY, "4", "api", 40, false));
            // another service on the same host, publishing 8080 too: not selected
            Task ignored = Task.start(CLUSTER, "demo-batch", "1", "batch", 7, false);
            System.out.printf("e2e: podman-env up in %d ms, 4 containers started in %d ms%n",
                    (up - t0) / 1_000_000, (System.nanoTime() - up) / 1_000_000);
            mackerel = FakeMackerel.start(MACKEREL_KEY);
            String host = mackerel.addHost("container-instance-1", "i-0e2e0e2e0e2e0e2e0");
            return Map.of(
                    "relay.discovery.docker.host", dockerHost,
                    "relay.discovery.docker.labels", SELECTOR,
                    "relay.mackerel.api-key", MACKEREL_KEY,
                    "relay.mackerel.api-base", mackerel.baseUri().toString(),
                    "relay.mackerel.host-id", host,
                    "relay.mackerel.state-dir", Files.createTempDirectory("gostats-relay-e2e-state").toString(),
                    "e2e.tasks", Task.specs(tasks),
                    "e2e.ignored", ignored.spec());
        } catch (RuntimeException | IOException e) {
            stop();
            return Map.of(
                    "relay.discovery.docker.enabled", "false",
                    "e2e.tasks", "none",
                    "e2e.ignored", "none",
                    "e2e.setup-error", Base64.getEncoder().encodeToString(
                            String.valueOf(e.getMessage()).getBytes(StandardCharsets.UTF_8)));
        }
    }

    /** Why the setup failed, or empty. */
    static Optional<String> setupError(Optional<String> encoded) {
        return encoded.map(s -> new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8));
    }

    @Override
    public void inject(TestInjector injector) {
        if (mackerel != null) {
            injector.injectIntoFields(mackerel, new TestInjector.MatchesType(FakeMackerel.class));
        }
    }

    @Override
    public void stop() {
        if (mackerel != null) {
            mackerel.close();
        }
        PodmanEnv.down();
        if (safetyNet != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(safetyNet);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs (or ran) anyway; down is idempotent
            }
            safetyNet = null;
        }
    }
}
