package io.gostats.relay.collect;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;

import io.gostats.relay.collect.container.ContainerReads;
import io.gostats.relay.model.Collected;
import io.gostats.relay.model.container.ContainerRead;
import io.gostats.relay.model.FetchResult;
import io.gostats.relay.model.Target;

/**
 * The collect stage of a cycle: one fetch per target (on the event loop, through {@link Collector}) and, beside
 * them under the same deadline, one stats read per watched container (on worker threads). Blocks until both are
 * done: call it from the cycle's thread, never from the event loop.
 */
@ApplicationScoped
public class CollectStage {

    private final Collector collector;
    private final ContainerReads containers;

    public CollectStage(Collector collector, ContainerReads containers) {
        this.collector = collector;
        this.containers = containers;
    }

    /** {@code engineUp}: the container engine answered this cycle's listing (else no container is read). */
    public Collected collect(List<Target> targets, boolean engineUp) {
        long start = System.nanoTime();
        CompletableFuture<List<ContainerRead>> reads = containers.start(targets, engineUp);
        List<FetchResult> fetches = collector.collect(targets).await().indefinitely();
        Duration fetchesTook = Duration.ofNanos(System.nanoTime() - start);
        return new Collected(fetches, containers.await(reads), fetchesTook);
    }
}
