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
 * The targets: our own Go stats app ({@code src/test/go/statsapp}), a few processes each listening on a range of
 * loopback ports, built from source (stdlib only) together with the reference client {@code statsapp/statsload}.
 */
final class GoServers implements AutoCloseable {

    /** Ports per process: 1,000 targets are two processes, one per core of the machines the goals are set for. */
    static final int PORTS_PER_PROCESS = 500;

    private final List<Process> processes = new ArrayList<>();
    private final int firstPort;
    private final int count;

    private GoServers(int firstPort, int count) {
        this.firstPort = firstPort;
        this.count = count;
    }

    /** Builds statsapp and statsload (one Go module) into {@code bin}; Go's build cache makes a rebuild instant. */
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
    }

    static GoServers start(Path bin, int firstPort, int count, Path logDir) throws IOException, InterruptedException {
        requireFree(firstPort, count);
        GoServers servers = new GoServers(firstPort, count);
        try {
            for (int lo = firstPort; lo < firstPort + count; lo += PORTS_PER_PROCESS) {
                int hi = Math.min(lo + PORTS_PER_PROCESS, firstPort + count) - 1;
                servers.processes.add(new ProcessBuilder(bin.resolve("statsapp").toString(),
                        "-ports", "127.0.0.1:" + lo + "-" + hi)
                        .redirectErrorStream(true)
                        .redirectOutput(logDir.resolve("statsapp-" + lo + ".log").toFile())
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

    /** statsapp binds its whole range before serving any port, so its last port answering means all do. */
    private void awaitListening(int port) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            for (Process p : processes) {
                if (!p.isAlive()) {
                    throw new IOException("a statsapp process exited with " + p.exitValue() + " (see its log)");
                }
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("statsapp not listening on " + port + " after 30 s", e);
                }
                Thread.sleep(20);
            }
        }
    }

    /** {@code 127.0.0.1:lo-hi}, the range as statsapp and statsload take it. */
    String portRange() {
        return "127.0.0.1:" + firstPort + "-" + (firstPort + count - 1);
    }

    List<String> targets() {
        List<String> out = new ArrayList<>(count);
        for (int p = firstPort; p < firstPort + count; p++) {
            out.add("127.0.0.1:" + p);
        }
        return out;
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
