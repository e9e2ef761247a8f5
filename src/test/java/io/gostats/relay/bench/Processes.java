package io.gostats.relay.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Child processes of the benchmark, and what /proc says about them. */
final class Processes {

    /** USER_HZ: the unit of utime and stime in /proc/[pid]/stat on every Linux the relay runs on. */
    private static final long TICKS_PER_SECOND = 100;

    private Processes() {
    }

    static String run(ProcessBuilder pb, int timeoutSeconds, String what) throws IOException, InterruptedException {
        Process p = pb.start();
        String out = pb.redirectOutput() == ProcessBuilder.Redirect.PIPE
                ? new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                : "";
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(what + ": no end after " + timeoutSeconds + " s");
        }
        if (p.exitValue() != 0) {
            throw new IOException(what + ": exit " + p.exitValue() + (out.isBlank() ? "" : ": " + out.strip()));
        }
        return out;
    }

    /** User plus system CPU the process has used so far, in nanoseconds (10 ms resolution). */
    static long cpuNanos(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // fields after the command, which may contain spaces, closed by the last ')'
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime: fields 14 and 15
        return ticks * (1_000_000_000L / TICKS_PER_SECOND);
    }

    /** A size line of /proc/[pid]/status (VmRSS, VmHWM), in bytes. */
    static long statusBytes(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").strip()) * 1024;
            }
        }
        throw new IOException(field + " missing from /proc/" + pid + "/status");
    }

    /** Open file descriptors of the process. */
    static long openFiles(long pid) throws IOException {
        try (var s = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return s.count();
        }
    }
}
