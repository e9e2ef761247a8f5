package io.gostats.relay.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The container engines the end-to-end tests run on, each a throw-away instance started by a script in
 * {@code src/test/e2e}: the Docker Engine itself ({@code docker-env}: Debian's docker.io 20.10 with containerd and
 * runc, what ECS container instances run) and rootful podman serving the Docker API ({@code podman-env}). Both build
 * the same test image from {@code src/test/go/statsapp}; each is driven through its own client.
 */
enum Engine {

    /** State in {@code $GOSTATS_DOCKER_DIR} (default /tmp/gostats-docker); Debian's {@code /usr/bin/docker}. */
    DOCKER("docker-env", "docker", "gostats-testapp:latest",
            List.of("/usr/sbin/dockerd", "/usr/bin/containerd", "/usr/bin/docker", "/usr/sbin/runc",
                    "/usr/sbin/iptables")),
    /** State in {@code $GOSTATS_E2E_DIR} (default /tmp/gostats-e2e). */
    PODMAN("podman-env", "podman", "localhost/gostats-testapp:latest", List.of("/usr/bin/podman", "/usr/sbin/runc"));

    private final String script;
    private final String cli;
    /** The test image as this engine names it (podman puts {@code localhost/} before a name without a registry). */
    final String image;
    private final List<String> binaries;

    Engine(String script, String cli, String image, List<String> binaries) {
        this.script = script;
        this.cli = cli;
        this.image = image;
        this.binaries = binaries;
    }

    /** {@code docker} or {@code podman}: also the value of the test resources' {@code engine} argument. */
    String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Engine of(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }

    Path script() {
        Path p = Path.of("src/test/e2e", script).toAbsolutePath();
        if (!Files.isExecutable(p)) {
            throw new IllegalStateException(p + " is missing or not executable (working directory "
                    + Path.of("").toAbsolutePath() + "; run the tests from the project directory)");
        }
        return p;
    }

    /** Fails (never skips) when the engine is not installed, saying how to get it. */
    void requireInstalled() {
        List<String> missing = binaries.stream().filter(b -> !Files.isExecutable(Path.of(b))).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("the end-to-end test on " + this + " needs " + missing
                    + "; install them with `sudo .ci/setup-e2e` (or run .ci/run)");
        }
    }

    /** Starts it (building the test image); returns its DOCKER_HOST, e.g. unix:///tmp/gostats-docker/docker.sock. */
    String up() {
        requireInstalled();
        Cmd.Result r = Cmd.run(Duration.ofMinutes(5), null, List.of(script().toString(), "up"));
        if (!r.ok()) {
            throw new IllegalStateException(script + " up failed: " + r.describe());
        }
        String last = r.lastLine();
        if (!last.startsWith("DOCKER_HOST=unix://")) {
            throw new IllegalStateException(script + " up did not end with DOCKER_HOST=unix://...: " + r.describe());
        }
        return last.substring("DOCKER_HOST=".length());
    }

    /** Removes every container, stops the engine, deletes its state (and, for Docker, its host network). Never throws. */
    void down() {
        try {
            Cmd.Result r = Cmd.run(Duration.ofMinutes(2), null, List.of(script().toString(), "down"));
            if (!r.ok()) {
                System.err.println(script + " down: " + r.describe());
            }
        } catch (RuntimeException e) {
            System.err.println(script + " down failed: " + e);
        }
    }

    /** The engine's own client against this instance (for Docker: Debian's, not the {@code docker} first on PATH). */
    Cmd.Result cli(String... args) {
        return cli(Duration.ofMinutes(2), args);
    }

    Cmd.Result cli(Duration timeout, String... args) {
        List<String> cmd = new ArrayList<>(List.of(script().toString(), cli));
        cmd.addAll(List.of(args));
        return Cmd.run(timeout, null, cmd);
    }

    /** Runs a script sub-command (Docker: {@code stop-dockerd [--live-restore]}, {@code start-dockerd}). */
    Cmd.Result control(Duration timeout, String... command) {
        List<String> cmd = new ArrayList<>(List.of(script().toString()));
        cmd.addAll(List.of(command));
        return Cmd.run(timeout, null, cmd);
    }

    /** Removes a container at once (podman's rm waits 10 s for a stop unless told not to). */
    Cmd.Result removeNow(String name) {
        return this == PODMAN ? cli("rm", "-f", "-t", "0", name) : cli("rm", "-f", name);
    }

    /** The host port published for {@code containerPort}/tcp of {@code name}. */
    int hostPort(String name, int containerPort) {
        // Docker: 0.0.0.0:32768 and :::32768; podman: 0.0.0.0:44699
        String mapping = cli("port", name, containerPort + "/tcp").orThrow().stdout().strip().split("\n")[0].strip();
        return Integer.parseInt(mapping.substring(mapping.lastIndexOf(':') + 1));
    }

    @Override
    public String toString() {
        return this == DOCKER ? "the Docker Engine" : "podman";
    }
}
