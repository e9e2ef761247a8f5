package io.gostats.relay.model;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The newest complete snapshot, the one thing readers (the targets page, health) take from the cycle: they never
 * reach into a stage. Written by the cycle only, once per cycle; {@link Snapshot#EMPTY} before the first.
 */
public final class LatestSnapshot {

    private final AtomicReference<Snapshot> latest = new AtomicReference<>(Snapshot.EMPTY);

    public Snapshot get() {
        return latest.get();
    }

    public void publish(Snapshot snapshot) {
        latest.set(snapshot);
    }
}
