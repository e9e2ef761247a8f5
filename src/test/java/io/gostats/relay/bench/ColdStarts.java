package io.gostats.relay.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a cold JVM costs, for each launch (Java 17, Java 25 with its AOT cache): a {@code plugin} run over three
 * golang-stats targets (wall and CPU of the whole process, as mackerel-agent pays it every minute) and a daemon's
 * start to ready over ten. The launches take turns run by run, so that a busy moment of the machine hits them alike;
 * the report gives medians.
 */
final class ColdStarts {

    static final int PLUGIN_TARGETS = 3;
    static final int START_TARGETS = 10;

    /** Medians over {@code runs} runs of one launch. */
    record Figures(String label, int runs, double pluginWallMs, double pluginCpuMs, double readyMs) {
    }

    /** One JVM set-up: how it starts the daemon and how plugin mode (each may have its own AOT cache). */
    record Jvm(String label, Launch daemon, Launch plugin) {

        static Jvm of(Launch both) {
            return new Jvm(both.label(), both, both);
        }
    }

    private ColdStarts() {
    }

    /** {@code targets}: golang-stats targets, at least {@link #START_TARGETS}. */
    static List<Figures> measure(List<Jvm> jvms, List<String> targets, int runs, Path dir)
            throws IOException, InterruptedException {
        Map<Jvm, double[][]> samples = new LinkedHashMap<>();
        jvms.forEach(l -> samples.put(l, new double[3][runs]));
        for (int i = 0; i < runs; i++) {
            for (Jvm jvm : jvms) {
                Path runDir = dir.resolve(jvm.label().replaceAll("[^A-Za-z0-9]+", "-"));
                double[] plugin = pluginRun(jvm.plugin(), targets.subList(0, PLUGIN_TARGETS),
                        runDir.resolve("plugin"));
                samples.get(jvm)[0][i] = plugin[0];
                samples.get(jvm)[1][i] = plugin[1];
                samples.get(jvm)[2][i] = startToReady(jvm.daemon(), targets.subList(0, START_TARGETS),
                        runDir.resolve("daemon"));
            }
        }
        List<Figures> out = new ArrayList<>();
        samples.forEach((l, s) -> out.add(new Figures(l.label(), runs, RelayBenchmark.percentile(s[0], 50),
                RelayBenchmark.percentile(s[1], 50), RelayBenchmark.percentile(s[2], 50))));
        return out;
    }

    /**
     * One {@code plugin} run: wall time and the CPU of the JVM (user + system, from the shell's {@code times}, which
     * sees the child after it exited). It must print metric lines and exit 0.
     */
    static double[] pluginRun(Launch launch, List<String> targets, Path runDir) throws IOException,
            InterruptedException {
        RelayUnderTest.writeConfig(runDir, targets, List.of("relay.plugin.workdir=" + runDir));
        List<String> cmd = new ArrayList<>(List.of("bash", "-c",
                "\"$@\" >plugin.out 2>plugin.err; s=$?; times; exit $s", "bash"));
        cmd.addAll(launch.command("plugin"));
        // a task polled again within the same second prints nothing: keep runs a second apart, as the agent does
        Thread.sleep(1000);
        long t0 = System.nanoTime();
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(runDir.toFile());
        pb.environment().put("LC_ALL", "C"); // times' decimal point
        String times = Processes.run(pb, 120, launch.label() + " plugin run");
        double wallMs = (System.nanoTime() - t0) / 1e6;
        long lines = Files.readAllLines(runDir.resolve("plugin.out"), StandardCharsets.UTF_8).stream()
                .filter(l -> l.split("\t").length == 3).count();
        if (lines == 0) {
            throw new IOException(launch.label() + " plugin run printed no metric: "
                    + Files.readString(runDir.resolve("plugin.err")));
        }
        return new double[] { wallMs, childCpuMs(times) };
    }

    /** {@code times} prints the shell's user and system time, then its children's: {@code 0m1.234s 0m0.120s}. */
    static double childCpuMs(String times) {
        String[] children = times.strip().split("\n")[1].strip().split("\\s+");
        return seconds(children[0]) * 1000 + seconds(children[1]) * 1000;
    }

    private static double seconds(String bashTime) {
        int m = bashTime.indexOf('m');
        return Integer.parseInt(bashTime.substring(0, m)) * 60
                + Double.parseDouble(bashTime.substring(m + 1, bashTime.length() - 1));
    }

    static double startToReady(Launch launch, List<String> targets, Path runDir)
            throws IOException, InterruptedException {
        try (RelayUnderTest relay = RelayUnderTest.start(launch, targets, Duration.ofSeconds(2), runDir)) {
            return relay.awaitReady(Duration.ofSeconds(60)).toNanos() / 1e6;
        }
    }
}
