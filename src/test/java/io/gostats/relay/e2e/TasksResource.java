package io.gostats.relay.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.gostats.relay.sink.mackerel.api.FakeMackerel;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Before the relay starts: a throw-away engine serving the Docker API ({@link Engine#up()}; which one is the
 * resource's {@code engine} argument, {@code docker} or {@code podman}), three tasks of the family {@value #FAMILY}
 * (each with a different number of idle goroutines, one allocating garbage so that GCs happen) and one container of
 * another family that the relay must leave alone. Hands the relay the Docker endpoint and the test the tasks
 * ({@code e2e.tasks}, {@code e2e.ignored}) and the engine ({@code e2e.engine}). Stops all of it afterwards, and at
 * once when starting fails half-way.
 */
public class TasksResource implements QuarkusTestResourceLifecycleManager {

    static final String CLUSTER = "demo";
    static final String FAMILY = "demo-api";
    static final String SELECTOR = "com.amazonaws.ecs.task-definition-family=" + FAMILY;

    static final String MACKEREL_KEY = "e2eMackerelKey0123456789abcdefSECRET";

    Engine engine = Engine.DOCKER;
    /** Tears the engine down should the JVM end without {@link #stop()} (Quarkus failing to start the relay, say). */
    Thread safetyNet;
    /** The relay posts to this strict fake Mackerel, as it would post to the real one. */
    FakeMackerel mackerel;

    @Override
    public void init(Map<String, String> initArgs) {
        engine = Engine.of(initArgs.getOrDefault("engine", "docker"));
    }

    /**
     * A setup that fails (a tool missing, the engine not starting) does not throw: Quarkus would then report the
     * first test as an error and skip the others. The relay starts without Docker instead and every test fails with
     * the reason ({@code e2e.setup-error}, Base64: config would expand a {@code $} in a command's output).
     */
    @Override
    public Map<String, String> start() {
        long t0 = System.nanoTime();
        armSafetyNet();
        try {
            Cmd.requireTools();
            String dockerHost = engine.up();
            System.out.printf("e2e: %s up in %d ms%n", engine, (System.nanoTime() - t0) / 1_000_000);
            return scenario(dockerHost);
        } catch (RuntimeException | IOException e) {
            return failed(e, setupKeys().toArray(String[]::new));
        }
    }

    /** The scenario's containers on the engine that is up, and the relay's configuration (and the test's). */
    Map<String, String> scenario(String dockerHost) throws IOException {
        long up = System.nanoTime();
        List<Task> tasks = new ArrayList<>();
        tasks.add(Task.start(engine, CLUSTER, FAMILY, "3", "api", 10, false));
        tasks.add(Task.start(engine, CLUSTER, FAMILY, "3", "api", 25, true));
        tasks.add(Task.start(engine, CLUSTER, FAMILY, "4", "api", 40, false));
        // another service on the same host, publishing 8080 too: not selected
        Task ignored = Task.start(engine, CLUSTER, "demo-batch", "1", "batch", 7, false);
        System.out.printf("e2e: 4 containers started in %d ms%n", (System.nanoTime() - up) / 1_000_000);
        Map<String, String> config = relayConfig(dockerHost, SELECTOR, MACKEREL_KEY, "i-0e2e0e2e0e2e0e2e0");
        config.put("e2e.tasks", Task.specs(tasks));
        config.put("e2e.ignored", ignored.spec());
        return config;
    }

    /** The test's configuration keys that a failed setup sets to "none". */
    List<String> setupKeys() {
        return List.of("e2e.tasks", "e2e.ignored");
    }

    private void armSafetyNet() {
        Engine e = engine;
        safetyNet = new Thread(e::down, e.id() + "-env-down");
        Runtime.getRuntime().addShutdownHook(safetyNet);
    }

    /** The relay's Docker endpoint and selector, and a fresh strict fake Mackerel with one host. */
    Map<String, String> relayConfig(String dockerHost, String selector, String mackerelKey, String instanceId)
            throws IOException {
        mackerel = FakeMackerel.start(mackerelKey);
        String host = mackerel.addHost("container-instance-1", instanceId);
        Map<String, String> config = new LinkedHashMap<>();
        config.put("relay.discovery.docker.host", dockerHost);
        config.put("relay.discovery.docker.labels", selector);
        config.put("relay.mackerel.api-key", mackerelKey);
        config.put("relay.mackerel.api-base", mackerel.baseUri().toString());
        config.put("relay.mackerel.host-id", host);
        config.put("relay.state-dir", Files.createTempDirectory("gostats-relay-e2e-state").toString());
        config.put("e2e.engine", engine.id());
        return config;
    }

    /** Stops what started, and hands the reason to the test ({@code keys} set to "none"). */
    Map<String, String> failed(Exception e, String... keys) {
        stop();
        Map<String, String> config = new LinkedHashMap<>();
        config.put("relay.discovery.docker.enabled", "false");
        config.put("e2e.engine", engine.id());
        for (String k : keys) {
            config.put(k, "none");
        }
        config.put("e2e.setup-error", Base64.getEncoder().encodeToString(
                (engine + ": " + e.getMessage()).getBytes(StandardCharsets.UTF_8)));
        return config;
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
            mackerel = null;
        }
        engine.down();
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
