package io.gostats.relay.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Java 25 with the relay's AOT caches, made for the benchmark as README says: the {@code aot-jar} package in
 * {@code target/aot} ({@link io.gostats.relay.e2e.AotJar}) and its two caches, {@code relay.aot} and
 * {@code plugin.aot}, trained by {@code src/main/aot/train} with the same JVM (again when missing or older than the
 * package). {@code -XX:AOTMode=on} makes a cache the JVM cannot use an error, not a run measured without it. On the
 * benchmark's own Java (17), the same training makes dynamic CDS archives, {@code relay.jsa} and {@code plugin.jsa}
 * (README, "Plugin mode"), used with {@code -Xshare:on} for the same reason.
 */
final class AotCaches {

    static final String LABEL = "Java 25 + AOT cache";

    /** What a JVM is started from: the files' extension, the flag naming one, the flags that make it required. */
    private record Kind(String label, String extension, String flag, List<String> required) {
    }

    private static final Kind AOT = new Kind(LABEL, "aot", "-XX:AOTCache=", List.of("-XX:AOTMode=on"));

    private AotCaches() {
    }

    /** {@code bench.java25}: the home of a JDK 25 (the bench profile: Temurin 25); unset or blank: none. */
    static Optional<Path> java25() {
        return Optional.ofNullable(System.getProperty("bench.java25")).filter(s -> !s.isBlank())
                .map(home -> Path.of(home, "bin", "java"));
    }

    /** The daemon and plugin mode on {@code java} (25) with their AOT caches, made first where needed. */
    static ColdStarts.Jvm prepare(Path projectDir, Path java, Path jvmOptions) throws IOException,
            InterruptedException {
        return prepare(projectDir, java, jvmOptions, AOT);
    }

    /**
     * The daemon and plugin mode on {@code java}, a JVM older than 25 ({@code feature}), with their CDS archives,
     * made first where needed.
     */
    static ColdStarts.Jvm prepareCds(Path projectDir, Path java, int feature, Path jvmOptions) throws IOException,
            InterruptedException {
        return prepare(projectDir, java, jvmOptions, new Kind("Java " + feature + " + CDS archive", "jsa",
                "-XX:SharedArchiveFile=", List.of("-Xshare:on")));
    }

    private static ColdStarts.Jvm prepare(Path projectDir, Path java, Path jvmOptions, Kind kind)
            throws IOException, InterruptedException {
        Path app = io.gostats.relay.e2e.AotJar.ensure(projectDir);
        Path jar = app.resolve("quarkus-run.jar");
        Path relay = app.resolve("relay." + kind.extension());
        Path plugin = app.resolve("plugin." + kind.extension());
        if (olderThan(relay, jar) || olderThan(plugin, jar)) {
            System.out.println("benchmark: training the " + kind.label() + " with " + java);
            Processes.run(new ProcessBuilder(projectDir.resolve("src/main/aot/train").toString(), java.toString(),
                    app.toString(), jvmOptions.toString()).inheritIO(), 1800, "src/main/aot/train");
        }
        List<String> flags = new ArrayList<>(List.of("@" + jvmOptions));
        flags.addAll(kind.required());
        Launch daemon = new Launch(kind.label(), java, flags, jar).with(List.of(kind.flag() + relay));
        Launch pluginLaunch = new Launch(kind.label(), java, flags, jar).with(List.of(kind.flag() + plugin));
        return new ColdStarts.Jvm(kind.label(), daemon, pluginLaunch);
    }

    private static boolean olderThan(Path file, Path other) throws IOException {
        return !Files.exists(file) || Files.getLastModifiedTime(file).compareTo(Files.getLastModifiedTime(other)) < 0;
    }
}
