package io.gostats.relay.bench;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The relay benchmark: for each size, that many targets served by our Go stats app on loopback ports, the packaged
 * relay watching them (with the JVM flags of {@code jvm.options}), and in the same run the two references measured by
 * {@code statsload}: the same fetches one after another (the old loop's shape) and the Go servers' raw request rate
 * (the floor). Writes the figures as Markdown ({@code BENCHMARKS.md} by default).
 *
 * <p>
 * System properties: {@code bench.sizes}, {@code bench.cycles} measured per size (20), {@code bench.output},
 * {@code bench.port-base} (first target port, 21000), {@code bench.dir} (project directory), {@code bench.note}
 * (a sentence for the top of the report, such as what else ran on the machine), {@code bench.baseline} (the
 * {@code quarkus-run.jar} of another build: then each size also runs that relay and this one in turns, baseline
 * first, {@code bench.baseline.rounds} times each (2), and the report compares them side by side),
 * {@code bench.baseline.label}. Run by {@link RelayBenchmarkIT}.
 */
public final class RelayBenchmark {

    /** Cycles left out at the start of each size: the first is cold, the next ones still compile. */
    static final int WARM_UP_CYCLES = 5;
    static final int GOAL_SIZE = 1000;
    /** jvm.options' heap holds ~3,000 targets; a /q/metrics render at 5,000 (16 MB of text) needs more. */
    static final int LARGE_SIZE = 3000;
    static final String LARGE_HEAP = "-Xmx192m";

    private final Path projectDir;
    private final Path work;
    private final int portBase;
    private final int cycles;
    private final ObjectMapper json = new ObjectMapper();
    private final java.util.Optional<Path> baseline = java.util.Optional.ofNullable(System.getProperty("bench.baseline"))
            .filter(s -> !s.isBlank()).map(Path::of);
    private final List<Comparison> comparisons = new ArrayList<>();

    RelayBenchmark(Path projectDir, int portBase, int cycles) {
        this.projectDir = projectDir.toAbsolutePath();
        this.work = this.projectDir.resolve("target/bench");
        this.portBase = portBase;
        this.cycles = cycles;
    }

    /** Configured by the system properties above. */
    static RelayBenchmark configured() {
        return new RelayBenchmark(projectDir(), Integer.getInteger("bench.port-base", 21000),
                Integer.getInteger("bench.cycles", 20));
    }

    static Path projectDir() {
        return Path.of(System.getProperty("bench.dir", ".")).toAbsolutePath();
    }

    static List<Integer> sizes(String fallback) {
        return Arrays.stream(System.getProperty("bench.sizes", fallback).split(",")).map(String::strip)
                .map(Integer::parseInt).toList();
    }

    List<SizeResult> run(List<Integer> sizes) throws IOException, InterruptedException {
        Path bin = work.resolve("bin");
        GoServers.build(projectDir, bin);
        ensureJar();
        List<SizeResult> results = new ArrayList<>();
        for (int n : sizes) {
            System.out.printf("benchmark: %d targets%n", n);
            SizeResult r = measure(n, bin);
            System.out.println("benchmark: " + r);
            results.add(r);
        }
        return results;
    }

    /** The relay runs on the JVM that runs the benchmark. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    Path jar() {
        return projectDir.resolve("target/quarkus-app/quarkus-run.jar");
    }

    Path jvmOptions() {
        return projectDir.resolve("jvm.options");
    }

    private void ensureJar() throws IOException, InterruptedException {
        if (Files.exists(jar())) {
            return;
        }
        System.out.println("benchmark: no packaged relay, building it");
        Processes.run(new ProcessBuilder(projectDir.resolve("mvnw").toString(), "-B", "-ntp", "-q", "package",
                "-DskipTests").directory(projectDir.toFile()).inheritIO(), 1800, "./mvnw package");
    }

    private SizeResult measure(int n, Path bin) throws IOException, InterruptedException {
        Path runDir = work.resolve("run-" + n);
        Files.createDirectories(runDir);
        String load = Files.readString(Path.of("/proc/loadavg")).strip();
        try (GoServers servers = GoServers.start(bin, portBase, n, runDir)) {
            if (baseline.isPresent()) {
                compare(n, servers, runDir);
            }
            RelayFigures relay = measureRelay(jar(), n, servers, runDir);
            // the references run with the relay stopped, so that the two do not share the cores
            JsonNode seq = statsload(bin, servers, "-mode", "sequential", "-rounds", n > GOAL_SIZE ? "1" : "3");
            JsonNode floor = statsload(bin, servers, "-mode", "floor", "-duration", "3s", "-concurrency", "64");
            double[] rounds = new double[seq.get("round_seconds").size()];
            for (int i = 0; i < rounds.length; i++) {
                rounds[i] = seq.get("round_seconds").get(i).asDouble() * 1000;
            }
            return new SizeResult(n, relay.cycleMs.length, percentile(relay.cycleMs, 50), percentile(relay.cycleMs, 95),
                    relay.meanMs, relay.failed, relay.cpuNanos / 1000.0 / ((long) n * relay.cycleMs.length),
                    relay.cpuNanos / 1e6 / relay.cycleMs.length, relay.rss, relay.hwm, relay.heapUsed,
                    relay.openFiles, relay.renderMs, relay.renderBytes, relay.readyMs, percentile(rounds, 50),
                    floor.get("requests_per_second").asDouble(), load);
        }
    }

    record RelayFigures(double[] cycleMs, double meanMs, long failed, long cpuNanos, long rss, long hwm,
            long heapUsed, long openFiles, double renderMs, long renderBytes, double readyMs) {

        double cycleMedianMs() {
            return percentile(cycleMs, 50);
        }

        double cpuPerTargetMicros(int targets) {
            return cpuNanos / 1000.0 / ((long) targets * cycleMs.length);
        }
    }

    /** A size run with the baseline build and with this one, in turns (baseline first), on the same Go servers. */
    record Comparison(int targets, String baselineLabel, List<RelayFigures> baseline, List<RelayFigures> current) {
    }

    private void compare(int n, GoServers servers, Path runDir) throws IOException, InterruptedException {
        int rounds = Integer.getInteger("bench.baseline.rounds", 2);
        List<RelayFigures> before = new ArrayList<>();
        List<RelayFigures> after = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            System.out.printf("benchmark: %d targets, baseline round %d%n", n, i + 1);
            before.add(measureRelay(baseline.get(), n, servers, runDir.resolve("baseline-" + i)));
            System.out.printf("benchmark: %d targets, this build round %d%n", n, i + 1);
            after.add(measureRelay(jar(), n, servers, runDir.resolve("current-" + i)));
        }
        comparisons.add(new Comparison(n, System.getProperty("bench.baseline.label", baseline.get().toString()),
                before, after));
    }

    List<Comparison> comparisons() {
        return List.copyOf(comparisons);
    }

    private RelayFigures measureRelay(Path relayJar, int n, GoServers servers, Path runDir)
            throws IOException, InterruptedException {
        Duration slack = Duration.ofSeconds(60 + n / 50);
        try (RelayUnderTest relay = RelayUnderTest.start(relayJar, jvmOptions(),
                n > LARGE_SIZE ? List.of(LARGE_HEAP) : List.of(), servers.targets(), runDir)) {
            double readyMs = relay.awaitReady(slack).toNanos() / 1e6;
            relay.awaitCycles(WARM_UP_CYCLES, slack);
            Meter before = cycleMeter(relay);
            int first = relay.cycles().size() + 1;
            relay.awaitCycles(first, slack);
            long cpu0 = Processes.cpuNanos(relay.pid());
            relay.awaitCycles(first + cycles, slack.plus(Duration.ofSeconds(cycles * 5L)));
            long cpu1 = Processes.cpuNanos(relay.pid());
            long rss = Processes.statusBytes(relay.pid(), "VmRSS");
            long hwm = Processes.statusBytes(relay.pid(), "VmHWM");
            long fds = Processes.openFiles(relay.pid());
            List<RelayUnderTest.Cycle> window = relay.cycles().subList(first, first + cycles);
            double[] ms = window.stream().mapToDouble(RelayUnderTest.Cycle::millis).toArray();
            long failed = window.stream().mapToLong(c -> c.targets() - c.up()).sum()
                    + window.stream().mapToLong(c -> n - c.targets()).sum();
            Meter after = cycleMeter(relay);
            double meanMs = (after.sum - before.sum) * 1000 / Math.max(1, after.count - before.count);

            double[] render = new double[5];
            long bytes = 0;
            String text = "";
            for (int i = 0; i < render.length; i++) {
                long t0 = System.nanoTime();
                HttpResponse<String> r = relay.get("/q/metrics", "text/plain");
                render[i] = (System.nanoTime() - t0) / 1e6;
                text = r.body();
                bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            }
            long heap = (long) sum(text, "jvm_memory_used_bytes", "area=\"heap\"");
            return new RelayFigures(ms, meanMs, failed, cpu1 - cpu0, rss, hwm, heap, fds, percentile(render, 50),
                    bytes, readyMs);
        }
    }

    private record Meter(double count, double sum) {
    }

    private Meter cycleMeter(RelayUnderTest relay) throws IOException, InterruptedException {
        String text = relay.get("/q/metrics", "text/plain").body();
        return new Meter(sum(text, "relay_cycle_duration_seconds_count", ""),
                sum(text, "relay_cycle_duration_seconds_sum", ""));
    }

    /** Sum of the samples of one series name in a Prometheus text exposition whose labels contain {@code having}. */
    static double sum(String exposition, String name, String having) {
        double total = 0;
        for (String line : exposition.split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{") && line.contains(having)) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }

    private JsonNode statsload(Path bin, GoServers servers, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(bin.resolve("statsload").toString(), "-ports", servers.portRange()));
        cmd.addAll(List.of(args));
        return json.readTree(Processes.run(new ProcessBuilder(cmd), 600, "statsload " + String.join(" ", args)));
    }

    static double percentile(double[] values, int p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    void writeReport(List<SizeResult> results, Path output) throws IOException, InterruptedException {
        Files.writeString(output, new BenchmarkReport(results, comparisons(), jvmOptionsText(), environment(),
                Instant.now().truncatedTo(ChronoUnit.SECONDS), System.getProperty("bench.note", "")).markdown());
    }

    private String jvmOptionsText() throws IOException {
        return Files.readAllLines(jvmOptions()).stream().filter(l -> !l.isBlank() && !l.startsWith("#"))
                .reduce((a, b) -> a + " " + b).orElse("");
    }

    private String environment() throws IOException, InterruptedException {
        String java = Processes.run(new ProcessBuilder(java(), "-version").redirectErrorStream(true), 30,
                "java -version").lines().findFirst().orElse("?");
        String go = Processes.run(new ProcessBuilder("go", "version").redirectErrorStream(true), 30, "go version")
                .strip();
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("?");
        return String.format(Locale.ROOT, "%d CPUs (%s), Linux %s, %s, %s, open files limit %s",
                Runtime.getRuntime().availableProcessors(), cpu, System.getProperty("os.version"), java, go,
                Processes.run(new ProcessBuilder("sh", "-c", "ulimit -n"), 10, "ulimit -n").strip());
    }
}
