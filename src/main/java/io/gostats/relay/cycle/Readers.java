package io.gostats.relay.cycle;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.gostats.relay.model.LatestSnapshot;

/** The one holder of the latest snapshot: written by {@link Relay}, read by the targets page and health. */
public class Readers {

    @Produces
    @Singleton
    LatestSnapshot latestSnapshot() {
        return new LatestSnapshot();
    }
}
