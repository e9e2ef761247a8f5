package io.gostats.relay.containerstats;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.gostats.relay.RelayConfig;
import io.gostats.relay.discovery.Discovery;
import io.gostats.relay.discovery.DockerTargetSource;
import io.gostats.relay.discovery.Target;

/**
 * Container resource stats as a stage of the cycle: {@link #start} reads every watched container (once, however
 * many of its ports are watched) concurrently with the /stats fetches, within {@code relay.collect.timeout};
 * {@link #finish} derives the cycle's reports. Off with {@code relay.container-stats.enabled=false} or without
 * Docker discovery (static targets have no container).
 */
@ApplicationScoped
public class ContainerStatsStage {

    private static final Logger LOG = Logger.getLogger(ContainerStatsStage.class);
    private static final int MAX_THREADS = 8;

    private final Optional<ContainerStatsCollector> collector;
    private final Optional<DockerStatsReader> reader;
    private final Optional<ExecutorService> executor;
    private final Optional<DockerTargetSource> docker;
    private final ContainerDeriver deriver = new ContainerDeriver();
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    public ContainerStatsStage(RelayConfig config, Discovery discovery) {
        Optional<DockerTargetSource> docker = discovery.docker();
        this.docker = docker;
        if (!config.containerStats().enabled() || docker.isEmpty()) {
            collector = Optional.empty();
            reader = Optional.empty();
            executor = Optional.empty();
            return;
        }
        int threads = Math.min(MAX_THREADS, config.collect().concurrency());
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "container-stats-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        DockerStatsReader r = new DockerStatsReader(docker.get().host(), config.collect().timeout(), threads,
                config.collect().maxBodySize().asLongValue());
        executor = Optional.of(pool);
        reader = Optional.of(r);
        collector = Optional.of(new ContainerStatsCollector(r, pool, config.collect().concurrency(),
                config.collect().timeout()));
    }

    public boolean enabled() {
        return collector.isPresent();
    }

    /**
     * Starts reading the containers of {@code targets}; returns at once. Not while Docker discovery is down (this
     * cycle's listing failed): the reads would fail too, and discovery already said why, once.
     */
    public CompletableFuture<List<ContainerRead>> start(List<Target> targets) {
        if (collector.isEmpty() || docker.map(d -> !d.status().up()).orElse(true)) {
            return CompletableFuture.completedFuture(List.of());
        }
        List<String> ids = targets.stream().map(t -> t.identity().containerId())
                .filter(Objects::nonNull).filter(id -> !id.isEmpty()).distinct().toList();
        return collector.get().collect(ids).subscribeAsCompletionStage();
    }

    /** Waits for the reads {@link #start} began (they are bounded by their deadline) and derives the reports. */
    public List<ContainerReport> finish(CompletableFuture<List<ContainerRead>> reads, List<Target> targets) {
        List<ContainerRead> done = reads.join();
        for (ContainerRead r : done) {
            if (r instanceof ContainerRead.Failed f) {
                report(f);
            }
        }
        return deriver.derive(done, targets);
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
        reader.ifPresent(r -> {
            try {
                r.close();
            } catch (IOException e) {
                LOG.debugf("closing the container stats client: %s", e.getMessage());
            }
        });
    }
}
