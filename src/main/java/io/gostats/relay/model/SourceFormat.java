package io.gostats.relay.model;

/** The format a target's reply came in. */
public enum SourceFormat {
    /** golang-stats-api-handler's JSON document ({@code /stats}). */
    GOSTATS;

    /** The name used in labels, configuration and on the targets page. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
