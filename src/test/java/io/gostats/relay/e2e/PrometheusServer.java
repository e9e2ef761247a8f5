package io.gostats.relay.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gostats.relay.FreePorts;

/**
 * Debian's {@code prometheus} with its TSDB in a temp dir, killed by handle: scraping the relay every second (the e2e
 * tests), or any targets at any interval (the benchmark, which scrapes client_golang targets with it directly).
 */
public final class PrometheusServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Path dir;
    private final Process process;
    private final int port;

    private PrometheusServer(Path dir, Process process, int port) {
        this.dir = dir;
        this.process = process;
        this.port = port;
    }

    static PrometheusServer start(int relayPort) {
        return start(Duration.ofSeconds(1), """
                  - job_name: gostats-relay
                    metrics_path: /q/metrics
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(relayPort));
    }

    /** Scrapes {@code targets} ({@code host:port}) at {@code path} every {@code interval}. */
    public static PrometheusServer start(Duration interval, String path, List<String> targets) {
        return start(interval, """
                  - job_name: targets
                    metrics_path: %s
                    static_configs:
                      - targets: [%s]
                """.formatted(path, String.join(",", targets.stream().map(t -> "'" + t + "'").toList())));
    }

    /** {@code scrapeConfigs}: the items of {@code scrape_configs}, indented by two spaces. */
    private static PrometheusServer start(Duration interval, String scrapeConfigs) {
        Path bin = Cmd.which("prometheus");
        if (bin == null) {
            throw new IllegalStateException("prometheus is not on PATH; install it with `sudo .ci/setup-e2e`");
        }
        Path dir;
        try {
            dir = Files.createTempDirectory("gostats-e2e-prometheus");
            Files.writeString(dir.resolve("prometheus.yml"), """
                    global:
                      scrape_interval: %1$ds
                      scrape_timeout: %1$ds
                      evaluation_interval: %1$ds
                    scrape_configs:
                    """.formatted(interval.toSeconds()) + scrapeConfigs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int port = FreePorts.any();
        try {
            Process p = new ProcessBuilder(bin.toString(),
                    "--config.file=" + dir.resolve("prometheus.yml"),
                    "--storage.tsdb.path=" + dir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + port,
                    "--log.level=info")
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("prometheus.log").toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
            return new PrometheusServer(dir, p, port);
        } catch (IOException e) {
            Cmd.deleteTree(dir);
            throw new UncheckedIOException("starting " + bin, e);
        }
    }

    public long pid() {
        return process.pid();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Waits for {@code /-/ready}; fails with its log when it exits or is not ready in time. */
    public void awaitReady(Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("prometheus exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                HttpResponse<String> r = get("/-/ready");
                if (r.statusCode() == 200) {
                    return;
                }
                last = r.statusCode() + " " + r.body();
            } catch (IOException e) {
                last = e.toString();
            }
            Task.sleep(100);
        }
        throw new IllegalStateException("prometheus not ready within " + max + " (" + last + "):\n" + log());
    }

    /** {@code data.result} of an instant query, after checking {@code status} is success. */
    public JsonNode query(String promql) throws IOException {
        HttpResponse<String> r = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        JsonNode body = JSON.readTree(r.body());
        if (r.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
            throw new IllegalStateException("query " + promql + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return body.path("data").path("result");
    }

    /** {@code activeTargets} of {@code /api/v1/targets}, to explain a failure. */
    String targets() {
        try {
            return get("/api/v1/targets").body();
        } catch (IOException e) {
            return e.toString();
        }
    }

    private HttpResponse<String> get(String pathAndQuery) throws IOException {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + pathAndQuery))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    public String log() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("prometheus.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        Cmd.kill(process);
        Cmd.deleteTree(dir);
    }
}
