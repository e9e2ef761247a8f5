package io.gostats.relay.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Java 25 with the relay's AOT caches, made for the benchmark as README says: the {@code aot-jar} package in
 * {@code target/aot} ({@link io.gostats.relay.e2e.AotJar}) and its two caches, {@code relay.aot} and
 * {@code plugin.aot}, trained by {@code src/main/aot/train} with the same JVM (again when missing or older than the
 * package). {@code -XX:AOTMode=on} makes a cache the JVM cannot use an error, not a run measured without it.
 */
final class AotCaches {

    static final String LABEL = "Java 25 + AOT cache";

    private AotCaches() {
    }

    /** {@code bench.java25}: the home of a JDK 25 (the bench profile: Temurin 25); unset or blank: none. */
    static Optional<Path> java25() {
        return Optional.ofNullable(System.getProperty("bench.java25")).filter(s -> !s.isBlank())
                .map(home -> Path.of(home, "bin", "java"));
    }

    /** The daemon and plugin mode on {@code java} with their caches, made first where needed. */
    static ColdStarts.Jvm prepare(Path projectDir, Path java, Path jvmOptions) throws IOException,
            InterruptedException {
        Path app = io.gostats.relay.e2e.AotJar.ensure(projectDir);
        Path jar = app.resolve("quarkus-run.jar");
        if (olderThan(app.resolve("relay.aot"), jar) || olderThan(app.resolve("plugin.aot"), jar)) {
            System.out.println("benchmark: training the AOT caches with " + java);
            Processes.run(new ProcessBuilder(projectDir.resolve("src/main/aot/train").toString(), java.toString(),
                    app.toString(), jvmOptions.toString()).inheritIO(), 1800, "src/main/aot/train");
        }
        List<String> flags = List.of("@" + jvmOptions, "-XX:AOTMode=on");
        Launch daemon = new Launch(LABEL, java, flags, jar).with(List.of("-XX:AOTCache=" + app.resolve("relay.aot")));
        Launch plugin = new Launch(LABEL, java, flags, jar).with(List.of("-XX:AOTCache=" + app.resolve("plugin.aot")));
        return new ColdStarts.Jvm(LABEL, daemon, plugin);
    }

    private static boolean olderThan(Path file, Path other) throws IOException {
        return !Files.exists(file) || Files.getLastModifiedTime(file).compareTo(Files.getLastModifiedTime(other)) < 0;
    }
}
