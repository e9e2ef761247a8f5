package io.gostats.relay.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@code src/test/e2e/podman-env}: the throw-away rootful podman serving the Docker API, and podman against it. */
final class PodmanEnv {

    static final String IMAGE = "localhost/gostats-testapp:latest";

    private PodmanEnv() {
    }

    static Path script() {
        Path p = Path.of("src/test/e2e/podman-env").toAbsolutePath();
        if (!Files.isExecutable(p)) {
            throw new IllegalStateException(p + " is missing or not executable (working directory "
                    + Path.of("").toAbsolutePath() + "; run the tests from the project directory)");
        }
        return p;
    }

    /** Starts it (building the test image); returns its DOCKER_HOST, e.g. unix:///tmp/gostats-e2e/podman.sock. */
    static String up() {
        Cmd.Result r = Cmd.run(Duration.ofMinutes(5), null, List.of(script().toString(), "up"));
        if (!r.ok()) {
            throw new IllegalStateException("podman-env up failed: " + r.describe());
        }
        String last = r.lastLine();
        if (!last.startsWith("DOCKER_HOST=unix://")) {
            throw new IllegalStateException("podman-env up did not end with DOCKER_HOST=unix://...: " + r.describe());
        }
        return last.substring("DOCKER_HOST=".length());
    }

    /** Removes every container, stops the API service, deletes its state. Never throws. */
    static void down() {
        try {
            Cmd.Result r = Cmd.run(Duration.ofMinutes(2), null, List.of(script().toString(), "down"));
            if (!r.ok()) {
                System.err.println("podman-env down: " + r.describe());
            }
        } catch (RuntimeException e) {
            System.err.println("podman-env down failed: " + e);
        }
    }

    static Cmd.Result podman(String... args) {
        List<String> cmd = new ArrayList<>(List.of(script().toString(), "podman"));
        cmd.addAll(List.of(args));
        return Cmd.run(Duration.ofMinutes(2), null, cmd);
    }
}
