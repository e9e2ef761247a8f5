package io.gostats.relay.collect.container;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.gostats.relay.model.container.ContainerRead;

/**
 * Reads the stats of every container once, all at once: at most {@code concurrency} in flight, each read blocking on
 * a worker of {@code executor} (never the event loop), all of them inside one deadline. A failing read becomes a
 * {@link ContainerRead.Failed} and never delays or fails the others.
 */
public final class ContainerStatsCollector {

    private final ContainerStatsSource source;
    private final Executor executor;
    private final int concurrency;
    private final Duration deadline;

    public ContainerStatsCollector(ContainerStatsSource source, Executor executor, int concurrency, Duration deadline) {
        this.source = source;
        this.executor = executor;
        this.concurrency = concurrency;
        this.deadline = deadline;
    }

    /** One read per container id; the list comes back in completion order. */
    public Uni<List<ContainerRead>> collect(List<String> containerIds) {
        long end = System.nanoTime() + deadline.toNanos();
        return Multi.createFrom().iterable(containerIds)
                .onItem().transformToUni(id -> read(id, end)).merge(concurrency)
                .collect().asList();
    }

    private ContainerRead readNow(String id) {
        try {
            return new ContainerRead.Read(id, source.read(id));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ContainerRead.Failed(id, "interrupted");
        } catch (Exception e) {
            return new ContainerRead.Failed(id, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    private Uni<ContainerRead> read(String id, long endNanos) {
        return Uni.createFrom().deferred(() -> {
            long left = endNanos - System.nanoTime();
            if (left <= 0) {
                return Uni.createFrom().item(new ContainerRead.Failed(id, "the cycle's deadline passed first"));
            }
            // a failure is an item, not an exception: a read that ends after its deadline is then dropped quietly
            return Uni.createFrom().item(() -> readNow(id))
                    .runSubscriptionOn(executor)
                    .ifNoItem().after(Duration.ofNanos(left))
                    .recoverWithItem(() -> new ContainerRead.Failed(id, "no stats within " + deadline.toMillis()
                            + " ms"));
        });
    }
}
