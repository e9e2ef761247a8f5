package io.gostats.relay.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.gostats.relay.collect.FetchResult;
import io.gostats.relay.collect.GoStats;
import io.gostats.relay.collect.Collector;
import io.gostats.relay.discovery.Discovery;
import io.gostats.relay.discovery.SourceStatus;
import io.gostats.relay.discovery.Target;
import io.gostats.relay.sink.mackerel.TaskFamily;

/**
 * {@code once}: discover and fetch once, print a table of what was found (for checking a setup). Exit 0 when every
 * source is up and every target answered, else 1.
 */
@ApplicationScoped
public class OnceCommand {

    static final String[] HEADER = { "TASK", "FAMILY", "PORT", "URL", "STATE", "GOROUTINES", "MEMORY_SYS", "HEAP_INUSE",
            "GC_NUM" };

    private final Discovery discovery;
    private final Collector collector;

    public OnceCommand(Discovery discovery, Collector collector) {
        this.discovery = discovery;
        this.collector = collector;
    }

    public int run(String... args) {
        if (args.length != 0) {
            System.err.println("usage: once");
            return 2;
        }
        List<Target> targets = discovery.discover();
        List<SourceStatus> sources = discovery.statuses();
        List<FetchResult> results = new ArrayList<>(collector.collect(targets).await().indefinitely());
        results.sort(Comparator.comparing(r -> r.target().id()));
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
                .append(results.stream().filter(r -> r instanceof FetchResult.Sample).count()).append(" up\n");
        System.out.print(out);
        System.out.flush();
        boolean ok = sources.stream().allMatch(SourceStatus::up)
                && results.stream().allMatch(r -> r instanceof FetchResult.Sample);
        return ok ? 0 : 1;
    }

    static String table(List<FetchResult> results) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (FetchResult r : results) {
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

    private static String[] row(FetchResult r) {
        Target t = r.target();
        String task = t.identity().taskId().isEmpty() ? t.identity().containerName() : t.identity().taskId();
        String port = t.port() == t.containerPort() ? String.valueOf(t.port()) : t.port() + "->" + t.containerPort();
        if (r instanceof FetchResult.Sample s) {
            GoStats g = s.stats();
            return new String[] { dash(task), TaskFamily.of(t.identity()), port, t.url(),
                    "up (" + s.took().toMillis() + " ms)", String.valueOf(g.goroutineNum()),
                    String.valueOf(g.memorySys()), String.valueOf(g.heapInuse()), String.valueOf(g.gcNum()) };
        }
        FetchResult.Failure f = (FetchResult.Failure) r;
        return new String[] { dash(task), TaskFamily.of(t.identity()), port, t.url(),
                f.reason().name().toLowerCase(java.util.Locale.ROOT) + ": " + f.detail(), "-", "-", "-", "-" };
    }

    private static String dash(String s) {
        return s.isEmpty() ? "-" : s;
    }
}
