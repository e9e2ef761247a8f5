package io.gostats.relay.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The targets: our own Go test peers, a few processes each listening on a range of loopback ports: the stats app
 * ({@code src/test/go/statsapp}, stdlib only, built with the reference client {@code statsapp/statsload}) for
 * golang-stats, promapp ({@code src/test/go/promapp}, Debian's client_golang) for client_golang and expvar.
 */
final class GoServers implements AutoCloseable {

    /** Ports per process: 1,000 targets are two processes, one per core of the machines the goals are set for. */
    static final int PORTS_PER_PROCESS = 500;

    private final List<Process> processes = new ArrayList<>();
    private final int firstPort;
    private final int count;

    private final TargetKind kind;

    private GoServers(TargetKind kind, int firstPort, int count) {
        this.kind = kind;
        this.firstPort = firstPort;
        this.count = count;
    }

    /** Builds statsapp and statsload (one Go module), and promapp, into {@code bin}; Go's build cache helps. */
    static void build(Path projectDir, Path bin) throws IOException, InterruptedException {
        Files.createDirectories(bin);
        Path module = projectDir.resolve("src/test/go/statsapp");
        for (String[] app : new String[][] { { "statsapp", "." }, { "statsload", "./statsload" } }) {
            ProcessBuilder pb = new ProcessBuilder("go", "build", "-trimpath", "-o", bin.resolve(app[0]).toString(),
                    app[1]).directory(module.toFile()).inheritIO();
            pb.environment().put("CGO_ENABLED", "0");
            pb.environment().put("GOPROXY", "off");
            Processes.run(pb, 300, "go build " + app[0]);
        }
        Files.copy(io.gostats.relay.e2e.PromappResource.build(), bin.resolve("promapp"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    static GoServers start(TargetKind kind, Path bin, int firstPort, int count, Path logDir)
            throws IOException, InterruptedException {
        requireFree(firstPort, count);
        GoServers servers = new GoServers(kind, firstPort, count);
        try {
            for (int lo = firstPort; lo < firstPort + count; lo += PORTS_PER_PROCESS) {
                int hi = Math.min(lo + PORTS_PER_PROCESS, firstPort + count) - 1;
                servers.processes.add(new ProcessBuilder(bin.resolve(kind.program).toString(),
                        "-ports", "127.0.0.1:" + lo + "-" + hi)
                        .redirectErrorStream(true)
                        .redirectOutput(logDir.resolve(kind.program + "-" + lo + ".log").toFile())
                        .start());
            }
            for (int lo = firstPort; lo < firstPort + count; lo += PORTS_PER_PROCESS) {
                servers.awaitListening(Math.min(lo + PORTS_PER_PROCESS, firstPort + count) - 1);
            }
            return servers;
        } catch (IOException | RuntimeException e) {
            servers.close();
            throw e;
        }
    }

    /** A port of the range already taken would make a target of someone else's: stop before starting anything. */
    private static void requireFree(int firstPort, int count) throws IOException {
        for (int p = firstPort; p < firstPort + count; p++) {
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress("127.0.0.1", p));
            } catch (IOException e) {
                throw new IOException("port " + p + " (of " + firstPort + "-" + (firstPort + count - 1)
                        + ") is in use; choose another range with -Dbench.port-base=", e);
            }
        }
    }

    /** statsapp and promapp bind their whole range before serving any port: the last port answering means all do. */
    private void awaitListening(int port) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            for (Process p : processes) {
                if (!p.isAlive()) {
                    throw new IOException("a " + kind.program + " process exited with " + p.exitValue()
                            + " (see its log)");
                }
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IOException(kind.program + " not listening on " + port + " after 30 s", e);
                }
                Thread.sleep(20);
            }
        }
    }

    /** {@code 127.0.0.1:lo-hi}, the range as statsapp and statsload take it. */
    String portRange() {
        return "127.0.0.1:" + firstPort + "-" + (firstPort + count - 1);
    }

    /** {@code host:port} of each target. */
    List<String> addresses() {
        List<String> out = new ArrayList<>(count);
        for (int p = firstPort; p < firstPort + count; p++) {
            out.add("127.0.0.1:" + p);
        }
        return out;
    }

    /** The relay's static targets: {@code host:port/path}. */
    List<String> targets() {
        return addresses().stream().map(a -> a + kind.path).toList();
    }

    TargetKind kind() {
        return kind;
    }

    @Override
    public void close() {
        processes.forEach(Process::destroy);
        for (Process p : processes) {
            try {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
