package io.gostats.relay.collect;

import io.gostats.relay.model.FailureReason;

/** A fetch that failed for a reason this relay detected itself (status, size, deadline). No stack trace: it is data. */
public final class FetchException extends RuntimeException {

    private final FailureReason reason;

    public FetchException(FailureReason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public FailureReason reason() {
        return reason;
    }
}
