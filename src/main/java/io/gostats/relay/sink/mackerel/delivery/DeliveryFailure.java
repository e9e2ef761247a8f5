package io.gostats.relay.sink.mackerel.delivery;

/** How a request of {@link DeliveryQueue} failed, which decides what becomes of its values. */
public enum DeliveryFailure {
    /** Network error, timeout, 5xx or 429: kept, retried after a randomized exponential backoff. */
    RETRY,
    /** 401 or 403: kept, retried after a fixed, long delay (the key or the allowed IP range must change first). */
    UNAUTHORIZED,
    /** 400: these values only are dropped, counted as {@link DropReason#REJECTED}. */
    REJECTED
}
