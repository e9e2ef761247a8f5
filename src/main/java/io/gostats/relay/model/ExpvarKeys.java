package io.gostats.relay.model;

import java.util.List;

/**
 * Where an expvar reply's figures that are not in {@code memstats} are: expvar publishes no goroutine count,
 * GOMAXPROCS or cgo calls by itself, so these are read only from variables the application published. Each list is
 * tried in order, the first key present wins; none present: the figure is absent.
 */
public record ExpvarKeys(List<String> goroutines, List<String> gomaxprocs, List<String> cgoCalls) {

    /** The names applications commonly publish (among them tailscale's {@code num_goroutines}). */
    public static final ExpvarKeys COMMON = new ExpvarKeys(
            List.of("goroutines", "Goroutines", "num_goroutines", "goroutine_num", "NumGoroutine"),
            List.of("gomaxprocs", "GOMAXPROCS", "Gomaxprocs"),
            List.of("cgo_calls", "cgocalls", "CgoCalls", "cgo_call_num", "NumCgoCall"));

    public ExpvarKeys {
        goroutines = List.copyOf(goroutines);
        gomaxprocs = List.copyOf(gomaxprocs);
        cgoCalls = List.copyOf(cgoCalls);
    }
}
