package io.gostats.relay.model;

import java.time.Duration;
import java.time.Instant;


/** The outcome of one fetch: a sample or a failure. A failure is data, never an exception. */
public sealed interface FetchResult {

    Target target();

    Instant fetchedAt();

    Duration took();

    record Sample(Target target, GoRuntime runtime, Instant fetchedAt, Duration took) implements FetchResult {
    }

    record Failure(Target target, FailureReason reason, String detail, Instant fetchedAt, Duration took)
            implements FetchResult {
    }
}
