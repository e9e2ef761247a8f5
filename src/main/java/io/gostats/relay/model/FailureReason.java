package io.gostats.relay.model;

/** Why a fetch failed; the label value of {@code relay_fetch_errors_total{reason}}. */
public enum FailureReason {
    REFUSED,
    TIMEOUT,
    CONNECTION,
    HTTP_STATUS,
    MALFORMED,
    TOO_LARGE;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
