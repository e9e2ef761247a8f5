package io.gostats.relay.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gostats.relay.e2e.PrometheusServer;

/**
 * The relay benchmark. For each size, that many targets of each format served by our Go test peers on loopback ports
 * ({@link TargetKind}), the packaged relay watching them (with the JVM flags of {@code jvm.options}) at a 2 s interval
 * with {@code /q/metrics} scraped once per cycle (as Prometheus would scrape the relay), and in the same run the
 * references: for golang-stats the two of {@code statsload} (the same fetches one after another, the old loop's
 * shape; the Go servers' raw request rate, the floor), for client_golang Debian's Prometheus scraping the same targets
 * itself at the same interval. Then, once, cold starts ({@link ColdStarts}): plugin runs and start to ready, for each
 * launch. Writes the figures as Markdown ({@code BENCHMARKS.md} by default) and prints them.
 *
 * <p>
 * System properties (the defaults are the e2e profile's smoke run; the bench profile sets its own):
 * {@code bench.sizes} (10), {@code bench.cycles} measured per run (3), {@code bench.interval} in seconds (2),
 * {@code bench.cold-runs} (1), {@code bench.java25} (a JDK 25 home: cold starts also on Java 25, with and without
 * the AOT caches; none), {@code bench.output},
 * {@code bench.port-base} (first target port, 21000), {@code bench.dir} (project directory), {@code bench.note}
 * (a sentence for the top of the report, such as what else ran on the machine), {@code bench.baseline} (the
 * {@code quarkus-run.jar} of another build: then each size also runs that relay and this one in turns on
 * golang-stats targets, baseline first, {@code bench.baseline.rounds} times each (2), and the report compares them
 * side by side), {@code bench.baseline.label}. Run by {@link RelayBenchmarkIT}.
 */
public final class RelayBenchmark {

    /** Cycles left out at the start of each run: the first is cold, the next ones still compile. */
    static final int WARM_UP_CYCLES = 5;
    static final int GOAL_SIZE = 1000;
    /** jvm.options' heap holds ~3,000 targets; a /q/metrics render at 5,000 (16 MB of text) needs more. */
    static final int LARGE_SIZE = 3000;
    static final String LARGE_HEAP = "-Xmx192m";

    private final Path projectDir;
    private final Path work;
    private final int portBase;
    private final int cycles;
    private final Duration interval;
    private final int coldRuns;
    private final ObjectMapper json = new ObjectMapper();
    private final Optional<Path> baseline = Optional.ofNullable(System.getProperty("bench.baseline"))
            .filter(s -> !s.isBlank()).map(Path::of);
    private final List<Comparison> comparisons = new ArrayList<>();
    private final List<ColdStarts.Figures> coldStarts = new ArrayList<>();
    private final Optional<Path> java25 = AotCaches.java25();
    private final List<ColdStarts.Jvm> jvms = new ArrayList<>();

    RelayBenchmark(Path projectDir, int portBase, int cycles, Duration interval, int coldRuns) {
        this.projectDir = projectDir.toAbsolutePath();
        this.work = this.projectDir.resolve("target/bench");
        this.portBase = portBase;
        this.cycles = cycles;
        this.interval = interval;
        this.coldRuns = coldRuns;
    }

    /** Configured by the system properties above. */
    static RelayBenchmark configured() {
        return new RelayBenchmark(projectDir(), Integer.getInteger("bench.port-base", 21000),
                Integer.getInteger("bench.cycles", 3), Duration.ofSeconds(Integer.getInteger("bench.interval", 2)),
                Integer.getInteger("bench.cold-runs", 1));
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
        jvms();
        List<SizeResult> results = new ArrayList<>();
        for (int n : sizes) {
            System.out.printf("benchmark: %d targets%n", n);
            SizeResult r = measure(n, bin);
            System.out.println("benchmark: " + r);
            results.add(r);
        }
        System.out.println("benchmark: cold starts");
        try (GoServers servers = GoServers.start(TargetKind.GOLANG_STATS, bin, portBase, ColdStarts.START_TARGETS,
                work)) {
            coldStarts.addAll(ColdStarts.measure(jvms(), servers.targets(), coldRuns, work.resolve("cold")));
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

    /** This build as README runs it: {@code java @jvm.options -jar target/quarkus-app/quarkus-run.jar}. */
    Launch java17() {
        return new Launch("Java " + Runtime.version().feature(), Path.of(java()),
                List.of("@" + jvmOptions()), jar());
    }

    /**
     * The JVMs whose cold starts are compared: this build on the benchmark's Java, the {@code aot-jar} package on it
     * with its CDS archives (before Java 25), and with {@code bench.java25} also on Java 25 without a cache and on
     * Java 25 with its AOT caches ({@link AotCaches}).
     */
    List<ColdStarts.Jvm> jvms() throws IOException, InterruptedException {
        if (jvms.isEmpty()) {
            jvms.add(ColdStarts.Jvm.of(java17()));
            int feature = Runtime.version().feature();
            if (feature < 25) {
                jvms.add(AotCaches.prepareCds(projectDir, Path.of(java()), feature, jvmOptions()));
            }
            java25.ifPresent(j -> jvms.add(ColdStarts.Jvm.of(new Launch("Java 25, no cache", j, java17().jvmFlags(),
                    jar()))));
            if (java25.isPresent()) {
                jvms.add(AotCaches.prepare(projectDir, java25.get(), jvmOptions()));
            }
        }
        return List.copyOf(jvms);
    }

    private Optional<ColdStarts.Jvm> cached() throws IOException, InterruptedException {
        return jvms().stream().filter(j -> j.label().equals(AotCaches.LABEL)).findFirst();
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
        Launch launch = n > LARGE_SIZE ? java17().with(List.of(LARGE_HEAP)) : java17();
        RelayFigures goStats;
        double java25ReadyMs;
        JsonNode seq;
        JsonNode floor;
        try (GoServers servers = GoServers.start(TargetKind.GOLANG_STATS, bin, portBase, n, runDir)) {
            if (baseline.isPresent()) {
                compare(n, servers, runDir);
            }
            goStats = measureRelay(launch, servers.targets(), runDir.resolve("golang-stats"));
            // the first cycle over all targets on Java 25 with its cache (ready comes after it)
            java25ReadyMs = cached().isEmpty() ? Double.NaN
                    : ColdStarts.startToReady(cached().get().daemon(), servers.targets(), runDir.resolve("java25"));
            // the references run with the relay stopped, so that the two do not share the cores
            seq = statsload(bin, servers, "-mode", "sequential", "-rounds", n > GOAL_SIZE ? "1" : "3");
            floor = statsload(bin, servers, "-mode", "floor", "-duration", "3s", "-concurrency", "64");
        }
        RelayFigures clientGolang;
        ScraperFigures prometheus;
        try (GoServers servers = GoServers.start(TargetKind.CLIENT_GOLANG, bin, portBase, n, runDir)) {
            clientGolang = measureRelay(launch, servers.targets(), runDir.resolve("client_golang"));
            prometheus = measurePrometheus(servers, runDir);
        }
        RelayFigures expvar;
        try (GoServers servers = GoServers.start(TargetKind.EXPVAR, bin, portBase, n, runDir)) {
            expvar = measureRelay(launch, servers.targets(), runDir.resolve("expvar"));
        }
        double[] rounds = new double[seq.get("round_seconds").size()];
        for (int i = 0; i < rounds.length; i++) {
            rounds[i] = seq.get("round_seconds").get(i).asDouble() * 1000;
        }
        return new SizeResult(n, goStats, java25ReadyMs, percentile(rounds, 50),
                floor.get("requests_per_second").asDouble(), clientGolang, prometheus, expvar, load);
    }

    /** A size run with the baseline build and with this one, in turns (baseline first), on the same Go servers. */
    record Comparison(int targets, String baselineLabel, List<RelayFigures> baseline, List<RelayFigures> current) {
    }

    private void compare(int n, GoServers servers, Path runDir) throws IOException, InterruptedException {
        int rounds = Integer.getInteger("bench.baseline.rounds", 2);
        Launch current = n > LARGE_SIZE ? java17().with(List.of(LARGE_HEAP)) : java17();
        Launch old = new Launch(current.label(), current.java(), current.jvmFlags(), baseline.get());
        List<RelayFigures> before = new ArrayList<>();
        List<RelayFigures> after = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            System.out.printf("benchmark: %d targets, baseline round %d%n", n, i + 1);
            before.add(measureRelay(old, servers.targets(), runDir.resolve("baseline-" + i)));
            System.out.printf("benchmark: %d targets, this build round %d%n", n, i + 1);
            after.add(measureRelay(current, servers.targets(), runDir.resolve("current-" + i)));
        }
        comparisons.add(new Comparison(n, System.getProperty("bench.baseline.label", baseline.get().toString()),
                before, after));
    }

    List<Comparison> comparisons() {
        return List.copyOf(comparisons);
    }

    List<ColdStarts.Figures> coldStarts() {
        return List.copyOf(coldStarts);
    }

    /**
     * One relay run: ready, {@link #WARM_UP_CYCLES} cycles, then {@code cycles} cycles measured, {@code /q/metrics}
     * scraped right after each of them (its CPU is the relay's, inside the window).
     */
    private RelayFigures measureRelay(Launch launch, List<String> targets, Path runDir)
            throws IOException, InterruptedException {
        int n = targets.size();
        Duration slack = Duration.ofSeconds(60 + n / 50);
        try (RelayUnderTest relay = RelayUnderTest.start(launch, targets, interval, runDir)) {
            double readyMs = relay.awaitReady(slack).toNanos() / 1e6;
            relay.awaitCycles(WARM_UP_CYCLES, slack);
            Meter before = cycleMeter(relay.get("/q/metrics", "text/plain").body());
            int first = relay.cycles().size() + 1;
            relay.awaitCycles(first, slack);
            long cpu0 = Processes.cpuNanos(relay.pid());
            double[] render = new double[cycles];
            String text = "";
            for (int i = 0; i < cycles; i++) {
                relay.awaitCycles(first + i + 1, slack);
                long t0 = System.nanoTime();
                text = relay.get("/q/metrics", "text/plain").body();
                render[i] = (System.nanoTime() - t0) / 1e6;
            }
            long cpu1 = Processes.cpuNanos(relay.pid());
            long rss = Processes.statusBytes(relay.pid(), "VmRSS");
            long hwm = Processes.statusBytes(relay.pid(), "VmHWM");
            long fds = Processes.openFiles(relay.pid());
            List<RelayUnderTest.Cycle> window = relay.cycles().subList(first, first + cycles);
            double[] ms = window.stream().mapToDouble(RelayUnderTest.Cycle::millis).toArray();
            long failed = window.stream().mapToLong(c -> c.targets() - c.up()).sum()
                    + window.stream().mapToLong(c -> n - c.targets()).sum();
            Meter after = cycleMeter(text);
            double meanMs = (after.sum - before.sum) * 1000 / Math.max(1, after.count - before.count);
            long heap = (long) sum(text, "jvm_memory_used_bytes", "area=\"heap\"");
            return new RelayFigures(n, ms, meanMs, failed, cpu1 - cpu0, rss, hwm, heap, fds, percentile(render, 50),
                    text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length, readyMs);
        }
    }

    /** Prometheus over the same targets: warm-up intervals, then {@code cycles} intervals measured. */
    private ScraperFigures measurePrometheus(GoServers servers, Path runDir) throws IOException, InterruptedException {
        int n = servers.addresses().size();
        try (PrometheusServer prometheus = PrometheusServer.start(interval, servers.kind().path,
                servers.addresses())) {
            prometheus.awaitReady(Duration.ofSeconds(60));
            Thread.sleep(interval.toMillis() * WARM_UP_CYCLES);
            long cpu0 = Processes.cpuNanos(prometheus.pid());
            Thread.sleep(interval.toMillis() * cycles);
            long cpu1 = Processes.cpuNanos(prometheus.pid());
            long rss = Processes.statusBytes(prometheus.pid(), "VmRSS");
            long hwm = Processes.statusBytes(prometheus.pid(), "VmHWM");
            long window = interval.toSeconds() * cycles;
            double scrapeMs = value(prometheus.query("avg(avg_over_time(scrape_duration_seconds[" + window + "s]))"))
                    * 1000;
            int up = (int) value(prometheus.query("count(up == 1)"));
            Files.writeString(runDir.resolve("prometheus.log"), prometheus.log());
            return new ScraperFigures(n, cycles, cpu1 - cpu0, rss, hwm, scrapeMs, up);
        }
    }

    /** The value of a one-sample instant query result (0 for an empty one). */
    private static double value(JsonNode result) {
        return result.isEmpty() ? 0 : result.get(0).get("value").get(1).asDouble();
    }

    private record Meter(double count, double sum) {
    }

    private static Meter cycleMeter(String text) {
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
        String md = new BenchmarkReport(results, comparisons(), coldStarts(), jvmOptionsText(), environment(),
                Instant.now().truncatedTo(ChronoUnit.SECONDS), System.getProperty("bench.note", ""), command(results))
                .markdown();
        Files.writeString(output, md);
        System.out.println(md);
    }

    /** The command that makes this report again, with the settings of this run. */
    private String command(List<SizeResult> results) {
        return "./mvnw -B -ntp verify -Pbench -Dbench.sizes=" + String.join(",",
                results.stream().map(r -> Integer.toString(r.targets())).toList()) + " -Dbench.cycles=" + cycles
                + " -Dbench.cold-runs=" + coldRuns + java25.map(j -> " -Dbench.java25=" + j.getParent().getParent())
                        .orElse("");
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
