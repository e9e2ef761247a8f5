package io.gostats.relay.cli;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.gostats.relay.cycle.Cycle;
import io.gostats.relay.model.GoRuntime;
import io.gostats.relay.model.Snapshot;
import io.gostats.relay.model.SourceStatus;
import io.gostats.relay.model.Target;
import io.gostats.relay.model.TargetReport;
import io.gostats.relay.model.TaskFamily;

/**
 * {@code once}: discover and fetch once, print a table of what was found (for checking a setup), with each task's
 * slot as the relay numbers it (read from {@code relay.state-dir}, never written: a relay may run beside it).
 * Exit 0 when every source is up and every target answered, else 1.
 */
@ApplicationScoped
public class OnceCommand {

    static final String[] HEADER = { "TASK", "FAMILY", "SLOT", "PORT", "URL", "FORMAT", "STATE", "GOROUTINES",
            "MEMORY_SYS", "HEAP_INUSE", "GC_NUM" };

    private final Cycle cycle;

    public OnceCommand(Cycle cycle) {
        this.cycle = cycle;
    }

    public int run(String... args) {
        if (args.length != 0) {
            System.err.println("usage: once");
            return 2;
        }
        cycle.readSlotsOnly();
        Snapshot snapshot = cycle.run(Clock.systemUTC().instant().truncatedTo(ChronoUnit.SECONDS));
        List<SourceStatus> sources = snapshot.discovery();
        List<TargetReport> results = snapshot.targets(); // in target id order
        StringBuilder out = new StringBuilder();
        for (SourceStatus s : sources) {
            out.append("source ").append(s.source()).append(": ").append(s.up() ? "up" : "DOWN: " + s.error())
                    .append('\n');
        }
        if (sources.isEmpty()) {
            out.append("no target source (relay.discovery.docker.enabled=false, no relay.discovery.static-targets)\n");
        }
        out.append(table(results));
        out.append(results.size()).append(" targets, ")
                .append(snapshot.upCount()).append(" up\n");
        System.out.print(out);
        System.out.flush();
        boolean ok = sources.stream().allMatch(SourceStatus::up)
                && results.stream().allMatch(TargetReport::up);
        return ok ? 0 : 1;
    }

    static String table(List<TargetReport> results) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (TargetReport r : results) {
            rows.add(row(r));
        }
        int[] widths = new int[HEADER.length];
        rows.forEach(row -> {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        });
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == 0 ? "" : "  ").append(String.format("%-" + widths[i] + "s", row[i]));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    private static String[] row(TargetReport r) {
        Target t = r.target();
        String task = t.identity().taskId().isEmpty() ? t.identity().containerName() : t.identity().taskId();
        String port = t.port() == t.containerPort() ? String.valueOf(t.port()) : t.port() + "->" + t.containerPort();
        if (r.metrics().isPresent()) {
            GoRuntime g = r.metrics().get().runtime();
            return new String[] { dash(task), TaskFamily.of(t.identity()), String.valueOf(r.slot()), port, t.url(),
                    r.format(), "up (" + r.took().toMillis() + " ms)", figure(g.goroutines()), figure(g.sysBytes()),
                    figure(g.heapInuseBytes()), figure(g.gcCycles()) };
        }
        return new String[] { dash(task), TaskFamily.of(t.identity()), String.valueOf(r.slot()), port, t.url(),
                r.format(), r.failure().map(f -> f.label()).orElse("down") + ": " + r.detail(), "-", "-", "-", "-" };
    }

    /** A figure the source does not report shows as "-", never 0. */
    private static String figure(java.util.OptionalLong v) {
        return v.isPresent() ? String.valueOf(v.getAsLong()) : "-";
    }

    private static String dash(String s) {
        return s.isEmpty() ? "-" : s;
    }
}
