package io.gostats.relay.bench;

/** The three source formats the benchmark serves, each from our Go test peer that speaks it, on many ports. */
enum TargetKind {
    /** {@code src/test/go/statsapp}: golang-stats-api-handler's JSON. */
    GOLANG_STATS("golang-stats", "statsapp", "/stats"),
    /** {@code src/test/go/promapp}: client_golang's promhttp.Handler() (Go and process collectors). */
    CLIENT_GOLANG("client_golang", "promapp", "/metrics"),
    /** {@code src/test/go/promapp}: the standard library's expvar. */
    EXPVAR("expvar", "promapp", "/debug/vars");

    final String label;
    final String program;
    final String path;

    TargetKind(String label, String program, String path) {
        this.label = label;
        this.program = program;
        this.path = path;
    }
}
