package io.gostats.relay.sink;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.gostats.relay.model.Snapshot;
import io.gostats.relay.util.DaemonThreads;

/**
 * Hands each snapshot to every sink on that sink's own thread. A sink that falls behind loses its oldest pending
 * snapshots (counted), never the newest, and never delays the cycle.
 */
@ApplicationScoped
public class SinkDispatcher {

    private static final Logger LOG = Logger.getLogger(SinkDispatcher.class);
    private static final int PENDING = 2;

    private record Lane(MetricSink sink, ThreadPoolExecutor executor) {
    }

    private final List<Lane> lanes;
    private volatile Consumer<String> onDropped = name -> {
    };

    @Inject
    public SinkDispatcher(Instance<MetricSink> sinks) {
        this(sinks.stream().toList());
    }

    SinkDispatcher(List<MetricSink> sinks) {
        this.lanes = sinks.stream().filter(MetricSink::enabled).map(s -> new Lane(s, laneExecutor(s.name()))).toList();
    }

    private ThreadPoolExecutor laneExecutor(String name) {
        ThreadPoolExecutor ex = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(PENDING),
                DaemonThreads.named("sink-" + name));
        ex.setRejectedExecutionHandler((r, e) -> {
            if (!e.isShutdown()) {
                e.getQueue().poll();
                onDropped.accept(name);
                e.execute(r);
            }
        });
        return ex;
    }

    public void onDropped(Consumer<String> listener) {
        this.onDropped = listener;
    }

    public List<String> sinkNames() {
        return lanes.stream().map(l -> l.sink().name()).toList();
    }

    /** Each enabled sink's status, by sink name, in the order the sinks were found. */
    public Map<String, SinkStatus> statuses() {
        Map<String, SinkStatus> statuses = new LinkedHashMap<>();
        lanes.forEach(l -> statuses.put(l.sink().name(), l.sink().status()));
        return statuses;
    }

    /**
     * Queues each sink's {@link MetricSink#start()} on its lane, ahead of any snapshot: the relay's daemon mode
     * calls it once; the commands never do, so a command run starts no sink.
     */
    public void start() {
        for (Lane lane : lanes) {
            lane.executor().execute(() -> {
                try {
                    lane.sink().start();
                } catch (RuntimeException e) {
                    LOG.errorf(e, "sink %s failed to start; its status says more", lane.sink().name());
                }
            });
        }
    }

    public void dispatch(Snapshot snapshot) {
        for (Lane lane : lanes) {
            lane.executor().execute(() -> {
                try {
                    lane.sink().accept(snapshot);
                } catch (RuntimeException e) {
                    LOG.errorf(e, "sink %s failed on cycle %d", lane.sink().name(), snapshot.sequence());
                }
            });
        }
    }

    /**
     * SIGTERM: the lanes stop taking snapshots, then every sink gets {@link MetricSink#stop} at once, each on a
     * thread of its own with the whole remaining budget, so that one stalled sink costs the others nothing. ECS kills
     * a task 30 s after SIGTERM: the budget keeps the relay's exit well inside that, whatever a sink's endpoint does.
     */
    @PreDestroy
    void close() {
        lanes.forEach(l -> l.executor().shutdownNow());
        stopAll(SHUTDOWN_BUDGET);
    }

    /** Every sink's share of the relay's shutdown: they run at once, so each gets all of it. */
    static final Duration SHUTDOWN_BUDGET = Duration.ofSeconds(10);

    void stopAll(Duration budget) {
        long deadline = System.nanoTime() + budget.toNanos();
        List<Thread> stopping = lanes.stream().map(l -> DaemonThreads.named("sink-stop-" + l.sink().name())
                .newThread(() -> {
                    try {
                        l.sink().stop(budget);
                    } catch (RuntimeException e) {
                        LOG.warnf(e, "sink %s failed to stop cleanly", l.sink().name());
                    }
                })).toList();
        stopping.forEach(Thread::start);
        for (Thread t : stopping) {
            long left = deadline - System.nanoTime();
            try {
                if (left > 0) {
                    t.join(Math.max(1, left / 1_000_000));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (t.isAlive()) {
                LOG.warnf("%s still running after the %d s shutdown budget; the relay exits without it", t.getName(),
                        budget.toSeconds());
            }
        }
    }
}
