package io.gostats.relay.sink.mackerel.delivery;

/** Why queued points were dropped without being delivered. */
public enum DropReason {
    /** The queue was full: its oldest batch made room for the newest. */
    FULL,
    /** Older than Mackerel's 24-hour window at send time: Mackerel would discard them silently. */
    TOO_OLD,
    /**
     * Mackerel rejected them: each on its own (a 400, narrowed down to them), or a request of them answered another
     * 4xx {@link DeliveryQueue#MAX_CLIENT_ERROR_ATTEMPTS} times.
     */
    REJECTED,
    /** Their batch file could not be read back. */
    CORRUPT
}
