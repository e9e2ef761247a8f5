package io.gostats.relay.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code aot-jar} package in {@code target/aot} that the Java 25 image (src/main/docker/Dockerfile.jvm) and the
 * benchmark's AOT caches are made from: Quarkus's fast-jar in {@code target/quarkus-app} loads the application
 * through its own class loader, whose classes the JDK's AOT cache leaves out. Built by a nested {@code ./mvnw package}
 * when missing or older than the fast-jar ({@code package} of this run), as README says.
 */
public final class AotJar {

    private AotJar() {
    }

    /** {@code target/aot}, built first where needed. */
    public static Path ensure(Path projectDir) throws IOException, InterruptedException {
        Path app = projectDir.resolve("target/aot");
        Path jar = app.resolve("quarkus-run.jar");
        Path fastJar = projectDir.resolve("target/quarkus-app/quarkus-run.jar");
        if (Files.exists(jar) && Files.exists(fastJar)
                && Files.getLastModifiedTime(jar).compareTo(Files.getLastModifiedTime(fastJar)) >= 0) {
            return app;
        }
        System.out.println("building the aot-jar package into target/aot");
        Process p = new ProcessBuilder(List.of(projectDir.resolve("mvnw").toString(), "-B", "-ntp", "-q", "package",
                "-DskipTests", "-Dquarkus.package.jar.type=aot-jar", "-Dquarkus.package.output-directory=aot"))
                .directory(projectDir.toFile()).inheritIO().start();
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("./mvnw package (aot-jar) failed");
        }
        return app;
    }
}
