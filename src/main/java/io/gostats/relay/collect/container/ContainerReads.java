package io.gostats.relay.collect.container;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.gostats.relay.config.RelayConfig;
import io.gostats.relay.docker.DockerConnection;
import io.gostats.relay.util.DaemonThreads;
import io.gostats.relay.model.Target;
import io.gostats.relay.model.container.ContainerRead;

/**
 * The container half of the collect stage: {@link #start} reads every watched container (once, however many of its
 * ports are watched) concurrently with the /stats fetches, within {@code relay.collect.timeout}; {@link #await}
 * waits for those reads. Off with {@code relay.container-stats.enabled=false} or without Docker discovery (static
 * targets have no container).
 */
@ApplicationScoped
public class ContainerReads {

    private static final Logger LOG = Logger.getLogger(ContainerReads.class);

    private final Optional<ContainerStatsCollector> collector;
    private final Optional<ExecutorService> executor;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    public ContainerReads(RelayConfig config, DockerConnection docker) {
        if (!config.containerStats().enabled() || docker.engine().isEmpty()) {
            collector = Optional.empty();
            executor = Optional.empty();
            return;
        }
        int threads = Math.min(DockerConnection.MAX_STATS_READS, config.collect().concurrency());
        ExecutorService pool = Executors.newFixedThreadPool(threads, DaemonThreads.named("container-stats"));
        DockerStatsReader r = new DockerStatsReader(docker.engine().get().raw(),
                config.collect().maxBodySize().asLongValue());
        executor = Optional.of(pool);
        collector = Optional.of(new ContainerStatsCollector(r, pool, config.collect().concurrency(),
                config.collect().timeout()));
    }

    public boolean enabled() {
        return collector.isPresent();
    }

    /**
     * Starts reading the containers of {@code targets}; returns at once. Not while the engine is down
     * ({@code engineUp} false: this cycle's listing failed): the reads would fail too, and discovery already said
     * why, once.
     */
    public CompletableFuture<List<ContainerRead>> start(List<Target> targets, boolean engineUp) {
        if (collector.isEmpty() || !engineUp) {
            return CompletableFuture.completedFuture(List.of());
        }
        List<String> ids = targets.stream().map(t -> t.identity().containerId())
                .filter(Objects::nonNull).filter(id -> !id.isEmpty()).distinct().toList();
        return collector.get().collect(ids).subscribeAsCompletionStage();
    }

    /** Waits for the reads {@link #start} began (they are bounded by their deadline); failed ones are logged. */
    public List<ContainerRead> await(CompletableFuture<List<ContainerRead>> reads) {
        List<ContainerRead> done = reads.join();
        for (ContainerRead r : done) {
            if (r instanceof ContainerRead.Failed f) {
                report(f);
            }
        }
        return done;
    }

    /**
     * A container that stopped (Docker's zero read time) or went (404) between the listing and its read is ordinary:
     * on ECS, every task stop that races a cycle. An engine that went away after this cycle's listing is Docker
     * discovery's to report (it lists through the same socket next cycle). Anything else (an engine without API 1.41,
     * a timeout) is logged once per kind of failure, so that a relay without container figures says why.
     */
    private void report(ContainerRead.Failed f) {
        String kind = f.detail().replaceAll("[0-9a-f]{12,}", "<id>");
        if (stoppedOrGone(f.detail()) || f.detail().startsWith(DockerStatsReader.UNREACHABLE) || warned.size() >= 100
                || !warned.add(kind)) {
            LOG.debugf("no stats of container %s: %s", f.containerId(), f.detail());
        } else {
            LOG.warnf("no stats of container %s: %s (further failures like it are logged at DEBUG)",
                    f.containerId(), f.detail());
        }
    }

    /** A read of a container that stopped after the listing (Docker: 200 with a zero read time) or was removed (404). */
    static boolean stoppedOrGone(String detail) {
        return detail.contains("HTTP 404") || detail.equals(ContainerStatsParser.DOES_NOT_RUN);
    }

    @PreDestroy
    void close() {
        executor.ifPresent(ExecutorService::shutdownNow);
    }
}
