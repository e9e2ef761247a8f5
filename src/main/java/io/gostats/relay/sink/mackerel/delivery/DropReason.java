package io.gostats.relay.sink.mackerel.delivery;

/** Why queued points were dropped without being delivered. */
public enum DropReason {
    /** The queue was full: its oldest batch made room for the newest. */
    FULL,
    /** Older than Mackerel's 24-hour window at send time: Mackerel would discard them silently. */
    TOO_OLD,
    /** Mackerel answered 400 to the request that carried them. */
    REJECTED,
    /** Their batch file could not be read back. */
    CORRUPT
}
