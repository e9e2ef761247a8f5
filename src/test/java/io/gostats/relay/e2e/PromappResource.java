package io.gostats.relay.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.gostats.relay.FreePorts;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Before the relay starts: our client_golang + expvar test peer ({@code src/test/go/promapp}) built from source in
 * GOPATH mode against Debian's client_golang 1.14 (installed by {@code .ci/setup-e2e}: a missing package fails the
 * build, it never skips), and three of its processes: {@code prom} read on /metrics (allocating garbage so that GCs
 * happen), {@code vars} on /debug/vars with goroutines, GOMAXPROCS and cgo calls published, {@code plain} on
 * /debug/vars with expvar's defaults only. The relay gets them as static targets.
 */
public class PromappResource implements QuarkusTestResourceLifecycleManager {

    static Path binary;
    static final List<Process> PROCESSES = new ArrayList<>();

    /**
     * Builds promapp into {@code target/e2e-promapp/promapp} (also used by the benchmark); statsapp's module is linked
     * into the GOPATH as {@code gostatsapp} for the ports package they share.
     */
    public static Path build() throws IOException, InterruptedException {
        Path src = Path.of("src/test/go/promapp").toAbsolutePath();
        Path out = Path.of("target/e2e-promapp").toAbsolutePath();
        Path link = out.resolve("gopath/src/gostatsapp");
        Files.createDirectories(link.getParent());
        if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.createSymbolicLink(link, Path.of("src/test/go/statsapp").toAbsolutePath());
        }
        Path bin = out.resolve("promapp");
        ProcessBuilder pb = new ProcessBuilder("go", "build", "-o", bin.toString(), ".").directory(src.toFile())
                .redirectErrorStream(true).redirectOutput(out.resolve("build.log").toFile());
        pb.environment().put("GO111MODULE", "off");
        pb.environment().put("GOPATH", out.resolve("gopath") + ":/usr/share/gocode");
        pb.environment().put("CGO_ENABLED", "0");
        if (System.getenv("HOME") == null && System.getenv("GOCACHE") == null) {
            pb.environment().put("GOCACHE", out.resolve("gocache").toString());
        }
        Process p = pb.start();
        if (!p.waitFor(10, java.util.concurrent.TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("go build of promapp failed (is golang-github-prometheus-client-golang-dev "
                    + "installed? run .ci/setup-e2e): " + Files.readString(out.resolve("build.log")));
        }
        return bin;
    }

    /** One promapp process on {@code port}, answering /healthz before this returns. */
    static Process start(int port, String... flags) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), "-listen", "127.0.0.1:" + port));
        cmd.addAll(List.of(flags));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(Path.of("target/e2e-promapp/promapp-" + port + ".log").toFile()).start();
        PROCESSES.add(p);
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try {
                http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port
                        + "/healthz")).build(), java.net.http.HttpResponse.BodyHandlers.discarding());
                return p;
            } catch (IOException notYet) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("promapp on " + port + " did not start", notYet);
                }
                Thread.sleep(50);
            }
        }
    }

    @Override
    public Map<String, String> start() {
        try {
            binary = build();
            int prom = FreePorts.any();
            int vars = FreePorts.any();
            int plain = FreePorts.any();
            start(prom, "-churn");
            start(vars, "-extra", "-goroutines", "9");
            start(plain);
            return Map.of("relay.discovery.docker.enabled", "false",
                    "relay.discovery.static-targets", "127.0.0.1:" + prom + "/metrics,127.0.0.1:" + vars
                            + "/debug/vars,127.0.0.1:" + plain + "/debug/vars",
                    "e2e.promapp.prom", Integer.toString(prom),
                    "e2e.promapp.vars", Integer.toString(vars),
                    "e2e.promapp.plain", Integer.toString(plain));
        } catch (IOException e) {
            stop();
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        PROCESSES.forEach(Process::destroyForcibly);
        PROCESSES.clear();
    }
}
