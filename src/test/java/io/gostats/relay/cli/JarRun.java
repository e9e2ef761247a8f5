package io.gostats.relay.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged relay ({@code target/quarkus-app/quarkus-run.jar}) run as a process, as mackerel-agent runs it. */
record JarRun(int exitCode, byte[] stdout, String stderr) {

    static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    /** A cold JVM on a loaded 2-core machine can take seconds over its first fetch: these tests are not about time. */
    static final String LENIENT_FETCH_TIMEOUT = "relay.collect.timeout=60s";

    String out() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    static JarRun run(Path dir, Map<String, String> env, List<String> systemProperties, String... args)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile(Files.createDirectories(dir), "stdout", ".txt");
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        Process p = start(out, err, env, systemProperties, args);
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the relay did not exit within 180 s: " + Files.readString(err));
        }
        return new JarRun(p.exitValue(), Files.readAllBytes(out), Files.readString(err));
    }

    /** Starts the relay with its output in {@code out} and {@code err}, without waiting. */
    static Process start(Path out, Path err, Map<String, String> env, List<String> systemProperties, String... args)
            throws IOException {
        assertTrue(Files.exists(JAR), JAR + " is built by the package phase; run ./mvnw verify");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        systemProperties.forEach(p -> cmd.add("-D" + p));
        cmd.addAll(List.of("-jar", JAR.toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().remove("MACKEREL_APIKEY");
        pb.environment().remove("MACKEREL_AGENT_PLUGIN_META");
        pb.environment().remove("MACKEREL_PLUGIN_WORKDIR");
        pb.environment().putAll(env);
        return pb.start();
    }
}
