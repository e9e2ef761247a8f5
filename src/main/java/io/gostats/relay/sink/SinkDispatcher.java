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
    /** The relay's shutdown budget, shared by the sinks: ECS and docker stop send SIGKILL 30 s and 10 s after SIGTERM. */
    static final Duration STOP_BUDGET = Duration.ofSeconds(10);

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

    @PreDestroy
    void close() {
        lanes.forEach(l -> l.executor().shutdownNow());
        stop(STOP_BUDGET);
    }

    /**
     * Every sink's {@link MetricSink#stop(Duration)} side by side, each on a thread of its own, all within one shared
     * budget: the relay is done when the budget is, whatever a sink still does.
     */
    void stop(Duration budget) {
        long deadline = System.nanoTime() + budget.toNanos();
        List<Thread> stopping = lanes.stream().map(l -> DaemonThreads.named("sink-" + l.sink().name() + "-stop")
                .newThread(() -> {
                    try {
                        l.sink().stop(budget);
                    } catch (RuntimeException e) {
                        LOG.errorf(e, "sink %s failed to stop", l.sink().name());
                    }
                })).toList();
        stopping.forEach(Thread::start);
        for (Thread t : stopping) {
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
