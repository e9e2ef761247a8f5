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
    /** The time all sinks share to flush at shutdown. */
    static final Duration STOP_BUDGET = Duration.ofSeconds(10);
    /** How long a sink's current snapshot may take to finish before its flush starts. */
    private static final Duration LANE_GRACE = Duration.ofSeconds(1);

    private record Lane(MetricSink sink, ThreadPoolExecutor executor) {
    }

    private final List<Lane> lanes;
    private volatile boolean started;
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
        started = true;
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

    /** At shutdown: the lanes stop, then every started sink flushes, all of them within one shared budget. */
    @PreDestroy
    void close() {
        stop(STOP_BUDGET);
    }

    /**
     * Stops the lanes (pending snapshots are dropped), then calls every sink's {@link MetricSink#stop(Duration)} at
     * once, each on a thread of its own, and returns when all are done or {@code budget} is spent, whichever comes
     * first: a sink that overruns its budget is left behind (its threads are daemons) rather than waited for.
     */
    void stop(Duration budget) {
        long deadline = System.nanoTime() + budget.toNanos();
        lanes.forEach(l -> l.executor().shutdownNow());
        if (!started) {
            return;
        }
        for (Lane lane : lanes) {
            awaitQuietly(lane.executor(), Math.min(LANE_GRACE.toNanos(), deadline - System.nanoTime()));
        }
        Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
        List<Thread> stoppers = lanes.stream().map(l -> DaemonThreads.named("stop-" + l.sink().name()).newThread(() -> {
            try {
                l.sink().stop(left);
            } catch (RuntimeException e) {
                LOG.errorf(e, "sink %s failed to stop", l.sink().name());
            }
        })).toList();
        stoppers.forEach(Thread::start);
        for (int i = 0; i < stoppers.size(); i++) {
            try {
                stoppers.get(i).join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (stoppers.get(i).isAlive()) {
                LOG.warnf("sink %s did not stop within the shutdown budget of %d s; left behind",
                        lanes.get(i).sink().name(), budget.toSeconds());
            }
        }
    }

    private static void awaitQuietly(ThreadPoolExecutor executor, long nanos) {
        try {
            executor.awaitTermination(Math.max(0, nanos), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
