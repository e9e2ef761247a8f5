package io.gostats.relay.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import io.gostats.relay.FreePorts;
import io.gostats.relay.StalledServer;
import io.gostats.relay.TestData;
import io.gostats.relay.sink.mackerel.api.FakeMackerel;

/**
 * SIGTERM ends the packaged relay within 15 s (ECS kills a task 30 s after SIGTERM) whatever its dependencies do:
 * the Docker API socket accepts and never answers (list, events and container stats hang), then vanishes; one
 * target accepts and never answers (a fetch hangs) beside a good one; the OTLP endpoint accepts and never answers;
 * Mackerel answers until the relay has registered its host, then stalls every call (the flush and the auto-retire
 * hang).
 */
class ShutdownBudgetIT {

    static final String KEY = "shutdownKey0123456789abcdefSECRET";
    static final Duration BOUND = Duration.ofSeconds(15);
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    static final Pattern QUEUED = Pattern.compile("(?m)^relay_mackerel_queue_batches (\\d+)");

    @TempDir
    Path dir;

    @Test
    void sigtermEndsTheRelayWithin15sWhateverDockerMackerelAndTargetsDo() throws Exception {
        Path socket = Files.createTempDirectory(Path.of("/tmp"), "sd").resolve("d.sock");
        try (FakeMackerel mackerel = FakeMackerel.start(KEY);
                StalledServer docker = StalledServer.unix(socket);
                StalledServer target = StalledServer.tcp();
                StalledServer otlp = StalledServer.tcp()) {
            HttpServer good = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            byte[] stats = TestData.bytes("samples/stats-churn.json");
            good.createContext("/stats", ex -> {
                ex.getResponseHeaders().set("Content-Type", "application/json");
                ex.sendResponseHeaders(200, stats.length);
                ex.getResponseBody().write(stats);
                ex.close();
            });
            good.start();
            int httpPort = FreePorts.any();
            Path out = dir.resolve("stdout.txt");
            Process relay = JarRun.start(out, dir.resolve("stderr.txt"), Map.of(), List.of(
                    "quarkus.http.port=" + httpPort,
                    "relay.interval=10s",
                    "relay.discovery.docker.host=unix://" + socket,
                    "relay.discovery.static-targets=127.0.0.1:" + target.port() + ",127.0.0.1:"
                            + good.getAddress().getPort(),
                    "relay.collect.timeout=8s",
                    "relay.mackerel.api-key=" + KEY,
                    "relay.mackerel.api-base=" + mackerel.baseUri(),
                    "relay.mackerel.register-host=true",
                    "relay.mackerel.custom-identifier=shutdown-it.example",
                    "relay.mackerel.auto-retire=true",
                    "relay.state-dir=" + dir.resolve("state"),
                    "relay.otlp.endpoint=http://127.0.0.1:" + otlp.port(),
                    "relay.otlp.protocol=http/protobuf"));
            try {
                await("the relay registers its host", Duration.ofSeconds(120), () -> !mackerel.hosts().isEmpty());
                mackerel.failUntilCleared(FakeMackerel.Fault.stallUntilReleased());
                // a queued batch gives the flush at shutdown a call to stall on. The stalled Docker (5 s) and target
                // (8 s) make each 10 s cycle take 13 s, so cycles run every 20 s, and in about half the runs never at
                // second 0: the minute must close at its first cycle then (points/MinuteBoundary)
                await("a minute batch is queued", Duration.ofSeconds(150), () -> queuedBatches(httpPort) >= 1);
                await("Docker, the target and OTLP are held", Duration.ofSeconds(60),
                        () -> docker.accepted() >= 2 && target.accepted() >= 1 && otlp.accepted() >= 1);
                docker.vanish();

                long start = System.nanoTime();
                relay.destroy(); // SIGTERM
                boolean exited = relay.waitFor(60, TimeUnit.SECONDS);
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                System.out.printf("SIGTERM to exit: %.1f s (exit code %s) with Docker, target, OTLP and Mackerel"
                        + " stalled (%d Docker, %d target, %d OTLP connections held; %d Mackerel requests)%n",
                        took.toMillis() / 1000.0, exited ? relay.exitValue() : "none", docker.accepted(),
                        target.accepted(), otlp.accepted(), mackerel.requestCount());
                assertTrue(exited && took.compareTo(BOUND) < 0, "exit took " + took + "; log tail:\n" + tail(out));
                String log = Files.readString(out);
                assertTrue(log.contains("not retired: no answer within"), "the stalled flush left auto-retire its"
                        + " share of the budget:\n" + tail(out));
            } finally {
                relay.destroyForcibly();
                good.stop(0);
            }
        }
    }

    static int queuedBatches(int port) {
        try {
            String metrics = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/q/metrics")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = QUEUED.matcher(metrics);
            return m.find() ? Integer.parseInt(m.group(1)) : 0;
        } catch (IOException e) {
            return 0; // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    static void await(String what, Duration within, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + within + ": " + what);
            }
            Thread.sleep(200);
        }
    }

    static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
