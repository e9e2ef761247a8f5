package io.gostats.relay.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.gostats.relay.FreePorts;
import io.gostats.relay.it.Exposition;
import io.gostats.relay.sink.mackerel.api.FakeMackerel;

/**
 * The relay's JVM image (src/main/docker/Dockerfile.jvm: Java 25 with the AOT cache made in the image build, on a
 * local Debian base with a jlink runtime of Temurin 25) built with the engine's own
 * builder and run as deploy/ecs/relay-task-definition.json runs it: host network, the engine's socket read-only
 * (group-owned by the socket's group, 0660, as on an instance), the user,
 * read-only root filesystem, /tmp tmpfs, memory limit and environment of the task definition, the API key as the
 * variable ECS makes of the secret, a mackerel-agent id file mounted read-only, the state directory on the host.
 * Beside it, task containers labelled like the example Go service. Runs after {@code package} (failsafe, {@code -Pe2e}):
 * the image is built from target/aot, the aot-jar package ({@link AotJar}, built first when missing or older than
 * target/quarkus-app). On the Docker Engine ({@link RelayImageOnDockerIT}) only: see
 * src/test/e2e/README.md for why not on podman as well.
 */
@Tag("e2e")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RelayImageIT {

    static final String IMAGE = "localhost/gostats-relay:e2e";
    static final String NAME = "gostats-relay-e2e";
    static final String KEY = "e2eImageKey0123456789abcdefSECRET";
    static final Duration SHOWN_WITHIN = Duration.ofSeconds(90);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    static Engine engine;
    static final Map<String, String> figures = new LinkedHashMap<>();
    static JsonNode relay;
    static List<Task> tasks = new ArrayList<>();
    static Task ignored;
    static FakeMackerel mackerel;
    static String hostId;
    static Path agentDir;
    static Path stateDir;
    static int port;
    static long containerStarted;

    /** The engine this run builds and runs the image on. */
    abstract Engine engine();

    @BeforeAll
    void buildAndRun() throws IOException {
        engine = engine();
        figures.clear();
        tasks.clear();
        Engine onExit = engine;
        Runtime.getRuntime().addShutdownHook(new Thread(onExit::down, onExit.id() + "-env-down"));
        Cmd.requireTools();
        Path app = Path.of("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(app)) {
            fail(app.toAbsolutePath() + " is missing: this test runs after `package` (./mvnw verify -Pe2e)");
        }
        try {
            AotJar.ensure(Path.of("").toAbsolutePath());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        relay = json(Path.of("deploy/ecs/relay-task-definition.json")).path("containerDefinitions").get(0);
        JsonNode example = json(Path.of("deploy/ecs/example-go-service-task-definition.json"))
                .path("containerDefinitions").get(0);

        String dockerHost = engine.up();
        long t0 = System.nanoTime();
        Cmd.Result base = Cmd.run(Duration.ofMinutes(20), null,
                List.of(Path.of("src/test/e2e/jre-base-image").toAbsolutePath().toString(), "tarball")).orThrow();
        Path tarball = Path.of(base.lastLine());
        String baseImage = "localhost/gostats-jre-base:" + tarball.getFileName().toString()
                .replaceAll("^jre-base-|\\.tar$", "");
        figures.put("base tarball (cached or debootstrap)", ms(t0));
        long t1 = System.nanoTime();
        cli(Duration.ofMinutes(5), "import", tarball.toString(), baseImage).orThrow();
        figures.put("base import", ms(t1));
        long t2 = System.nanoTime();
        // podman: --pull=never; Docker 20.10's builder takes no value for --pull and uses the local base anyway
        List<String> build = new ArrayList<>(List.of("build", "-f", "src/main/docker/Dockerfile.jvm",
                "--build-arg", "BASE_IMAGE=" + baseImage, "-t", IMAGE, "."));
        if (engine == Engine.PODMAN) {
            build.add(1, "--pull=never");
        }
        cli(Duration.ofMinutes(10), build.toArray(String[]::new)).orThrow();
        figures.put("relay image build", ms(t2));
        figures.put("relay image size", cli(Duration.ofMinutes(1), "image", "inspect", "--format", "{{.Size}}",
                IMAGE).orThrow().lastLine() + " bytes");

        // The socket as Docker's on an instance: group-owned by the docker group (cloud-init pins its gid), 0660.
        String user = relay.path("user").asText();
        String gid = user.substring(user.indexOf(':') + 1);
        Path socket = Path.of(URI.create(dockerHost.replace("unix://", "file://")).getPath());
        run("chgrp", gid, socket.toString());
        run("chmod", "0660", socket.toString());

        Map<String, String> labels = new LinkedHashMap<>();
        example.path("dockerLabels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        tasks.add(Task.start(engine, TasksResource.CLUSTER, TasksResource.FAMILY, "5", "api", 10, false, labels));
        tasks.add(Task.start(engine, TasksResource.CLUSTER, TasksResource.FAMILY, "5", "api", 20, true, labels));
        // publishes 8080 as well, but has no gostats.port label: the task definition's selector leaves it out
        ignored = Task.start(engine, TasksResource.CLUSTER, "demo-batch", "1", "batch", 7, false);

        mackerel = FakeMackerel.start(KEY);
        hostId = mackerel.addHost("container-instance-1", "i-0e2e0e2e0e2e0e2e1");
        // what mackerel-agent leaves on the instance, and the relay's state directory as cloud-init makes it
        agentDir = Files.createTempDirectory("gostats-e2e-agent");
        Files.writeString(agentDir.resolve("id"), hostId);
        run("chmod", "0755", agentDir.toString());
        run("chmod", "0644", agentDir.resolve("id").toString());
        stateDir = Files.createTempDirectory("gostats-e2e-relay-state");
        run("chown", user.substring(0, user.indexOf(':')), stateDir.toString());
        port = FreePorts.any();

        List<String> args = new ArrayList<>(List.of("run", "-d", "--name", NAME, "--network", "host", "--init",
                "--user", user, "--memory", relay.path("memory").asInt() + "m",
                "--memory-reservation", relay.path("memoryReservation").asInt() + "m"));
        if (relay.path("readonlyRootFilesystem").asBoolean()) {
            args.add("--read-only");
        }
        for (JsonNode t : relay.path("linuxParameters").path("tmpfs")) {
            List<String> opts = new ArrayList<>();
            t.path("mountOptions").forEach(o -> opts.add(o.asText()));
            opts.add("size=" + t.path("size").asInt() + "m");
            args.addAll(List.of("--tmpfs", t.path("containerPath").asText() + ":" + String.join(",", opts)));
        }
        Map<String, String> hostPaths = Map.of("/var/run/docker.sock", socket.toString(),
                "/var/lib/mackerel-agent", agentDir.toString(), "/var/lib/gostats-relay", stateDir.toString());
        for (JsonNode m : relay.path("mountPoints")) {
            String path = m.path("containerPath").asText();
            String host = Optional.ofNullable(hostPaths.get(path)).orElseThrow(() -> new AssertionError(path));
            args.addAll(List.of("-v", host + ":" + path + (m.path("readOnly").asBoolean() ? ":ro" : "")));
        }
        relay.path("environment").forEach(e ->
                args.addAll(List.of("-e", e.path("name").asText() + "=" + e.path("value").asText())));
        args.addAll(List.of("-e", "MACKEREL_APIKEY=" + KEY, // what ECS makes of the secret
                "-e", "RELAY_MACKEREL_API_BASE=" + mackerel.baseUri(),
                "-e", "RELAY_INTERVAL=2s", "-e", "QUARKUS_HTTP_PORT=" + port, IMAGE));
        containerStarted = System.nanoTime();
        cli(Duration.ofMinutes(2), args.toArray(String[]::new)).orThrow();
    }

    @AfterAll
    void tearDown() {
        try {
            if (relay != null) {
                System.out.println("relay container log (tail):\n" + tail(cli(Duration.ofSeconds(30), "logs",
                        NAME).stdout() + cli(Duration.ofSeconds(30), "logs", NAME).stderr(), 30));
            }
            figures.forEach((k, v) -> System.out.printf("relay image e2e: %s: %s%n", k, v));
        } finally {
            if (mackerel != null) {
                mackerel.close();
            }
            engine.down();
            Cmd.deleteTree(agentDir);
            Cmd.deleteTree(stateDir);
        }
    }

    @Test
    @Order(1)
    void findsAndServesTheLabelledTasks() {
        Exposition e = await("both labelled tasks up on the container's /q/metrics", SHOWN_WITHIN,
                ex -> tasks.stream().allMatch(t -> ex.value("gostats_up", t.seriesLabels()).orElse(0.0) == 1.0));
        figures.put("container start to tasks shown", ms(containerStarted));
        for (Task t : tasks) {
            assertEquals((double) t.expectedGoroutines(), e.value("gostats_goroutines", t.seriesLabels()).orElseThrow(),
                    "goroutines of " + t.name());
        }
        assertEquals(tasks.size(), e.named("gostats_up").size(), "only the labelled tasks: " + e.named("gostats_up"));
        assertTrue(e.taskSamples().stream().noneMatch(s -> ignored.name().equals(s.labels().get("container"))),
                "the unlabelled container is left out");
        assertEquals(1.0, e.value("relay_discovery_up", Map.of("source", "docker unix:///var/run/docker.sock"))
                .orElseThrow(() -> new AssertionError("relay_discovery_up: " + e.named("relay_discovery_up"))));
    }

    @Test
    @Order(2)
    void livenessIsUpAndTheTaskDefinitionsHealthCheckPasses() throws IOException {
        HttpResponse<String> live = get("/q/health/live");
        assertEquals(200, live.statusCode(), live.body());
        assertEquals("UP", JSON.readTree(live.body()).path("status").asText(), live.body());
        List<String> cmd = new ArrayList<>();
        relay.path("healthCheck").path("command").forEach(n -> cmd.add(n.asText().replace(":10190/", ":" + port + "/")));
        assertEquals("CMD", cmd.remove(0));
        List<String> exec = new ArrayList<>(List.of("exec", NAME));
        exec.addAll(cmd);
        Cmd.Result r = cli(Duration.ofSeconds(30), exec.toArray(String[]::new));
        assertEquals(0, r.exit(), "the ECS health check run in the container: " + r.describe());
    }

    @Test
    @Order(3)
    void runsAsTheTaskDefinitionsNonRootUserOnAReadOnlyRootFilesystem() throws IOException {
        String user = relay.path("user").asText();
        assertEquals("true", cli(Duration.ofSeconds(30), "inspect", "--format", "{{.HostConfig.ReadonlyRootfs}}",
                NAME).orThrow().lastLine());
        long javaPid = javaPid();
        String status = Files.readString(Path.of("/proc/" + javaPid + "/status"));
        String uid = status.lines().filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow().split("\\s+")[1];
        assertNotEquals("0", uid, "the relay's uid");
        assertEquals(user.substring(0, user.indexOf(':')), uid, "the task definition's user");
        String groups = status.lines().filter(l -> l.startsWith("Groups:") || l.startsWith("Gid:")).toList().toString();
        assertTrue(groups.contains(user.substring(user.indexOf(':') + 1)), "in the socket's group: " + groups);
        figures.put("java RSS (VmRSS)", status.lines().filter(l -> l.startsWith("VmRSS:")).findFirst()
                .orElse("?").replaceAll("\\s+", " "));

        Cmd.Result rootWrite = cli(Duration.ofSeconds(30), "exec", NAME, "sh", "-c", "echo x > /deployments/probe");
        assertNotEquals(0, rootWrite.exit(), "writing to the root filesystem fails");
        assertTrue(rootWrite.stderr().contains("Read-only file system"), rootWrite.describe());
        cli(Duration.ofSeconds(30), "exec", NAME, "sh", "-c", "echo x > /tmp/probe && rm /tmp/probe").orThrow();
    }

    /** The container's one java process, as the host sees it. */
    private static long javaPid() {
        long pid = Long.parseLong(cli(Duration.ofSeconds(30), "inspect", "--format", "{{.State.Pid}}", NAME)
                .orThrow().lastLine());
        List<ProcessHandle> java = Stream.concat(ProcessHandle.of(pid).stream(),
                ProcessHandle.of(pid).stream().flatMap(ProcessHandle::descendants))
                .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false)).toList();
        assertEquals(1, java.size(), "one java process in the container");
        return java.get(0).pid();
    }

    @Test
    @Order(5)
    void runsOnJava25FromTheAotCacheMadeInTheImageBuild() throws IOException {
        Cmd.Result version = cli(Duration.ofSeconds(30), "exec", NAME, "java", "-version").orThrow();
        assertTrue(version.stderr().contains("version \"25"), version.describe());
        long javaPid = javaPid();
        String cmdline = Files.readString(Path.of("/proc/" + javaPid + "/cmdline")).replace('\0', ' ');
        assertTrue(cmdline.contains("-XX:AOTCache=/deployments/relay.aot"), cmdline);
        // a JVM that could not use the cache (another JVM build, other flags) unmaps it and starts without it
        assertTrue(Files.readString(Path.of("/proc/" + javaPid + "/maps")).contains("/deployments/relay.aot"),
                "the relay's JVM has its AOT cache mapped");
        Cmd.Result logs = cli(Duration.ofSeconds(30), "logs", NAME);
        assertFalse((logs.stdout() + logs.stderr()).contains("[aot]"), "no AOT warning: " + tail(logs.stdout()
                + logs.stderr(), 30));
        figures.put("AOT cache in the image", cli(Duration.ofSeconds(30), "exec", NAME, "ls", "-l",
                "/deployments/relay.aot").orThrow().lastLine());
    }

    @Test
    @Order(4)
    void postsToMackerelForTheAgentsHostAndKeepsItsStateOnTheHostVolume() throws IOException {
        // the first minute batch goes out at the next minute boundary plus this host's offset
        long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
        while (System.nanoTime() < deadline && mackerel.points().keySet().stream()
                .noneMatch(k -> k.hostId().equals(hostId) && k.name().startsWith("custom.gostats."))) {
            Task.sleep(500);
        }
        List<String> names = mackerel.points().keySet().stream().filter(k -> k.hostId().equals(hostId))
                .map(FakeMackerel.PointKey::name).distinct().sorted().toList();
        assertTrue(names.stream().anyMatch(n -> n.startsWith("custom.gostats.")),
                "points for the host id read from the mounted agent directory: " + names);
        try (Stream<Path> files = Files.list(stateDir)) {
            assertFalse(files.toList().isEmpty(), "the relay (non-root) wrote its state to the host volume");
        }
        Cmd.Result logs = cli(Duration.ofSeconds(30), "logs", NAME);
        assertFalse((logs.stdout() + logs.stderr()).contains(KEY), "the API key is not logged");
    }

    static Exposition await(String what, Duration max, Predicate<Exposition> done) {
        long deadline = System.nanoTime() + max.toNanos();
        String last = "(no answer)";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = get("/q/metrics");
                if (r.statusCode() == 200) {
                    Exposition e = Exposition.parse(r.body());
                    if (done.test(e)) {
                        return e;
                    }
                    last = String.valueOf(e.named("gostats_up"));
                } else {
                    last = "HTTP " + r.statusCode();
                }
            } catch (IOException e) {
                last = e.toString();
            }
            Task.sleep(500);
        }
        Cmd.Result logs = cli(Duration.ofSeconds(30), "logs", NAME);
        throw new AssertionError(what + ": not within " + max + "; last: " + last + "\nexpected " + tasks
                + "\ncontainer log:\n" + tail(logs.stdout() + logs.stderr(), 60));
    }

    static HttpResponse<String> get(String path) throws IOException {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .header("Accept", "text/plain").timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** The engine's own client against its throw-away instance. */
    static Cmd.Result cli(Duration timeout, String... args) {
        return engine.cli(timeout, args);
    }

    static void run(String... cmd) {
        Cmd.run(Duration.ofSeconds(30), null, List.of(cmd)).orThrow();
    }

    static JsonNode json(Path p) {
        try {
            return JSON.readTree(p.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String ms(long since) {
        return (System.nanoTime() - since) / 1_000_000 + " ms";
    }

    static String tail(String text, int lines) {
        List<String> all = text.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }
}
