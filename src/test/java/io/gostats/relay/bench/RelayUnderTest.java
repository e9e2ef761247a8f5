package io.gostats.relay.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.gostats.relay.FreePorts;

/**
 * The packaged relay ({@code java @jvm.options -jar target/quarkus-app/quarkus-run.jar}, or another {@link Launch})
 * watching static targets at a given interval, with Docker and Mackerel off. Its cycles are read from its own debug
 * line per cycle.
 */
final class RelayUnderTest implements AutoCloseable {

    /** Relay's debug line at the end of each cycle. */
    private static final Pattern CYCLE = Pattern.compile("cycle (\\d+) at \\S+: (\\d+) targets, (\\d+) up, (\\d+) ms");

    record Cycle(long sequence, int targets, int up, long millis) {
    }

    private final Process process;
    private final long startedNanos;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Cycle> cycles = new ArrayList<>();

    private RelayUnderTest(Process process, long startedNanos, int port, Path log) {
        this.process = process;
        this.startedNanos = startedNanos;
        this.port = port;
        Thread reader = new Thread(() -> follow(log), "relay-log");
        reader.setDaemon(true);
        reader.start();
    }

    static RelayUnderTest start(Launch launch, List<String> targets, Duration interval, Path runDir)
            throws IOException {
        int port = FreePorts.any();
        writeConfig(runDir, targets, List.of(
                "quarkus.http.port=" + port,
                "relay.interval=" + interval.toSeconds() + "s",
                "quarkus.log.category.\"io.gostats.relay.cycle.Relay\".level=DEBUG",
                // the class's name before the architecture change, for a baseline jar of then (bench.baseline)
                "quarkus.log.category.\"io.gostats.relay.Relay\".level=DEBUG"));
        ProcessBuilder pb = new ProcessBuilder(launch.command()).directory(runDir.toFile()).redirectErrorStream(true);
        long started = System.nanoTime();
        Process p = pb.start();
        return new RelayUnderTest(p, started, port, runDir.resolve("relay.log"));
    }

    /**
     * Writes {@code runDir/config/application.properties} (Quarkus reads it from the working directory: the targets
     * do not fit a command line): the static targets, Docker and Mackerel off, and {@code more}.
     */
    static void writeConfig(Path runDir, List<String> targets, List<String> more) throws IOException {
        Files.createDirectories(runDir.resolve("config"));
        List<String> lines = new ArrayList<>(more);
        lines.addAll(List.of("relay.discovery.docker.enabled=false",
                "relay.mackerel.enabled=false",
                "relay.state-dir=" + runDir.resolve("state"),
                "relay.discovery.static-targets=" + String.join(",", targets)));
        Files.write(runDir.resolve("config/application.properties"), lines);
    }

    private void follow(Path log) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8)); PrintWriter out = new PrintWriter(Files.newBufferedWriter(log), true)) {
            for (String line; (line = in.readLine()) != null;) {
                out.println(line);
                Matcher m = CYCLE.matcher(line);
                if (m.find()) {
                    synchronized (cycles) {
                        cycles.add(new Cycle(Long.parseLong(m.group(1)), Integer.parseInt(m.group(2)),
                                Integer.parseInt(m.group(3)), Long.parseLong(m.group(4))));
                        cycles.notifyAll();
                    }
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    long pid() {
        return process.pid();
    }

    /** Waits for /q/health/ready to answer UP (the relay is ready after its first cycle): time since the start. */
    Duration awaitReady(Duration limit) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("the relay exited with " + process.exitValue() + " before it was ready");
            }
            try {
                if (get("/q/health/ready", null).statusCode() == 200) {
                    return Duration.ofNanos(System.nanoTime() - startedNanos);
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(10);
        }
        throw new IOException("the relay was not ready within " + limit);
    }

    /** The cycles logged so far. */
    List<Cycle> cycles() {
        synchronized (cycles) {
            return List.copyOf(cycles);
        }
    }

    /** Waits until {@code count} cycles in all have been logged. */
    void awaitCycles(int count, Duration limit) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        synchronized (cycles) {
            while (cycles.size() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !process.isAlive()) {
                    throw new IOException("the relay logged " + cycles.size() + " of " + count + " cycles within "
                            + limit + (process.isAlive() ? "" : "; it exited"));
                }
                cycles.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
    }

    HttpResponse<String> get(String path, String accept) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30));
        if (accept != null) {
            b.header("Accept", accept);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
