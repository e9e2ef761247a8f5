package io.gostats.relay.sink.plugged;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;

import io.gostats.relay.model.Snapshot;
import io.gostats.relay.model.TargetReport;
import io.gostats.relay.sink.MetricSink;
import io.gostats.relay.sink.SinkStatus;
import io.quarkus.arc.profile.IfBuildProfile;

/**
 * A sink that lives in test code only: it counts the snapshots it gets and names each target by its port. Built only
 * for {@link PluggedSinkTest}'s profile, so that no other test's application has it.
 */
@ApplicationScoped
@IfBuildProfile(PluggedSinkTest.PROFILE)
public class CountingSink implements MetricSink {

    private final List<Long> sequences = new CopyOnWriteArrayList<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final List<String> startThreads = new CopyOnWriteArrayList<>();
    private volatile Snapshot last = Snapshot.EMPTY;

    /** Methods, not fields: a test reaches the bean through its client proxy, whose own fields are never set. */
    public List<Long> sequences() {
        return List.copyOf(sequences);
    }

    public List<String> startThreads() {
        return List.copyOf(startThreads);
    }

    @Override
    public String name() {
        return "counting";
    }

    @Override
    public void start() {
        started.set(true);
        startThreads.add(Thread.currentThread().getName());
    }

    @Override
    public void accept(Snapshot snapshot) {
        sequences.add(snapshot.sequence());
        last = snapshot;
    }

    @Override
    public SinkStatus status() {
        Map<String, String> names = new java.util.HashMap<>();
        for (TargetReport t : last.targets()) {
            names.put(t.target().id(), "port-" + t.target().port());
        }
        return new SinkStatus(name(), started.get(), sequences.size() + " snapshots counted",
                Map.of("snapshots", sequences.size()), names);
    }
}
