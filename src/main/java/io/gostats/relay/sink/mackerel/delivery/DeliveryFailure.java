package io.gostats.relay.sink.mackerel.delivery;

/** How a request of {@link DeliveryQueue} failed, which decides what becomes of its values. */
public enum DeliveryFailure {
    /** Network error, timeout, 5xx or 429: kept, retried after a randomized exponential backoff. */
    RETRY,
    /** 401 or 403: kept, retried after a fixed, long delay (the key or the allowed IP range must change first). */
    UNAUTHORIZED,
    /**
     * 404 from {@code /tsdb}: the host is retired or unknown. Kept, due again at once and with no attempt counted: the
     * sender waits until a live host is known and posts them there.
     */
    NO_HOST,
    /** 413: the body was too large. Kept, due again at once and with no attempt counted, in smaller requests. */
    TOO_LARGE,
    /**
     * Another 4xx (409, 422...): kept and retried like {@link #RETRY}, as mackerel-agent treats 4xx like 5xx, and
     * dropped after {@link DeliveryQueue#MAX_CLIENT_ERROR_ATTEMPTS} tries, counted as {@link DropReason#REJECTED}.
     * (A 400 is not a failure of the whole request: {@link RejectionSearch} finds the values refused, and
     * {@link DeliveryQueue#settled} drops those only.)
     */
    CLIENT_ERROR
}
