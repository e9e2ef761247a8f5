package io.gostats.relay.e2e;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command to its end (bounded), capturing stdout and stderr; and finds the tools the e2e test needs. */
final class Cmd {

    /**
     * What the end-to-end test runs besides Java and the engine ({@link Engine#requireInstalled()});
     * {@code .ci/setup-e2e} installs them.
     */
    static final List<String> TOOLS = List.of("go", "prometheus", "promtool", "curl", "iptables");

    record Result(List<String> command, int exit, String stdout, String stderr) {

        boolean ok() {
            return exit == 0;
        }

        /** The last non-blank stdout line ("" when none). */
        String lastLine() {
            String[] lines = stdout.strip().split("\n");
            return lines[lines.length - 1].strip();
        }

        String describe() {
            return String.join(" ", command) + " exited " + exit + "\n--- stdout ---\n" + stdout
                    + "\n--- stderr ---\n" + stderr;
        }

        Result orThrow() {
            if (!ok()) {
                throw new IllegalStateException(describe());
            }
            return this;
        }
    }

    private Cmd() {
    }

    static Result run(Duration timeout, String stdin, List<String> command) {
        Path out = null;
        Path err = null;
        Path in = null;
        Process p = null;
        try {
            out = Files.createTempFile("gostats-e2e-cmd", ".out");
            err = Files.createTempFile("gostats-e2e-cmd", ".err");
            ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            if (stdin != null) {
                in = Files.createTempFile("gostats-e2e-cmd", ".in");
                Files.writeString(in, stdin);
                pb.redirectInput(in.toFile());
            } else {
                pb.redirectInput(new File("/dev/null"));
            }
            p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(p);
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout
                        + "\n--- stdout ---\n" + Files.readString(out) + "\n--- stderr ---\n" + Files.readString(err));
            }
            return new Result(command, p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("running " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill(p);
            throw new IllegalStateException("interrupted running " + command, e);
        } finally {
            delete(out);
            delete(err);
            delete(in);
        }
    }

    /** Ends a process this test started, and its children, by handle; waits for it. */
    static void kill(Process p) {
        if (p == null) {
            return;
        }
        p.descendants().forEach(ProcessHandle::destroy);
        p.destroy();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
    }

    /** An executable named {@code tool} on PATH, or null. */
    static Path which(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, tool);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** Fails (never skips) when a tool is missing, saying how to get it. */
    static void requireTools() {
        List<String> missing = new ArrayList<>();
        for (String t : TOOLS) {
            if (which(t) == null) {
                missing.add(t);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("the end-to-end test needs " + missing + " on PATH (PATH="
                    + System.getenv("PATH") + "); install them with `sudo .ci/setup-e2e` (or run .ci/run)");
        }
        Result id = run(Duration.ofSeconds(10), null, List.of("id", "-u"));
        if (!id.ok() || !id.lastLine().equals("0")) {
            throw new IllegalStateException("the end-to-end test runs its engines as root (src/test/e2e/docker-env,"
                    + " podman-env): run it as root; `id -u` says " + id.stdout().strip());
        }
    }

    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(Cmd::delete);
        } catch (IOException e) {
            // best effort: a temp dir
        }
    }

    private static void delete(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // best effort: a temp file
            }
        }
    }
}
