package io.gostats.relay.sink.otlp;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

import io.gostats.relay.model.FailureReason;
import io.gostats.relay.model.GoRuntime;
import io.gostats.relay.model.Snapshot;
import io.gostats.relay.model.SourceFormat;
import io.gostats.relay.model.Target;
import io.gostats.relay.model.TargetReport;
import io.gostats.relay.model.TaskIdentity;
import io.gostats.relay.model.TaskMetrics;
import io.gostats.relay.model.container.ContainerFigure;
import io.gostats.relay.model.container.ContainerMetrics;
import io.gostats.relay.model.container.ContainerReport;

/** Snapshots as the pipeline makes them: ECS tasks with every golang-stats figure, their containers' figures. */
final class Snapshots {

    static final String REGION_ACCOUNT = "arn:aws:ecs:eu-west-1:123456789012:";

    private Snapshots() {
    }

    /** Task {@code i} of family {@code api}: container {@code c<i>}, task id {@code t<i>}. */
    static Target target(int i) {
        String taskId = String.format("%032x", i);
        return new Target("c" + i + ":8080", "127.0.0.1", 30000 + i, "/stats", 8080, TaskIdentity.of("c" + i,
                "ecs-api-7-api-" + i, Map.of("com.amazonaws.ecs.task-arn", REGION_ACCOUNT + "task/demo/" + taskId,
                        "com.amazonaws.ecs.task-definition-family", "api",
                        "com.amazonaws.ecs.task-definition-version", "7", "com.amazonaws.ecs.cluster", "demo",
                        "com.amazonaws.ecs.container-name", "app")));
    }

    /** The figures of task {@code i}, scaled by {@code n} (counters grow with it). */
    static GoRuntime runtime(int i, long n) {
        return GoRuntime.builder(SourceFormat.GOSTATS).goVersion("go1.22.5").goOs("linux").goArch("amd64")
                .goroutines(10 + i).gomaxprocs(2).cgoCalls(n).heapAllocBytes(1_000_000 + i).sysBytes(8_000_000)
                .stackInuseBytes(500_000).heapSysBytes(6_000_000).heapIdleBytes(2_000_000).heapInuseBytes(4_000_000)
                .heapReleasedBytes(1_000_000).heapObjects(5000).gcGoalBytes(4_194_304).gcCycles(n * 3).mallocs(n * 100)
                .frees(n * 90).lookups(0).allocatedBytesTotal(n * 1000).gcPerSecond(0.05).gcPauseMillis(1.5).build();
    }

    static TargetReport up(int i, Instant at, long n, boolean restarted) {
        return new TargetReport(target(i), i + 1, true, Optional.empty(), "", at, at, Duration.ofMillis(3),
                Optional.of(new TaskMetrics(runtime(i, n), OptionalLong.of(n * 3), OptionalDouble.of(n * 0.001),
                        restarted)), Map.of());
    }

    static TargetReport down(int i, Instant at) {
        return new TargetReport(target(i), i + 1, false, Optional.of(FailureReason.REFUSED), "refused", at, at,
                Duration.ofMillis(1), Optional.empty(), Map.of(FailureReason.REFUSED, 2L));
    }

    static ContainerReport container(int i, Instant at, double cpu) {
        Map<ContainerFigure, Double> f = new EnumMap<>(ContainerFigure.class);
        f.put(ContainerFigure.CPU_USER_SECONDS, cpu * 0.75);
        f.put(ContainerFigure.CPU_SYSTEM_SECONDS, cpu * 0.25);
        f.put(ContainerFigure.CPU_TOTAL_SECONDS, cpu);
        f.put(ContainerFigure.CPU_TOTAL_PERCENT, 12.5);
        f.put(ContainerFigure.MEMORY_USAGE_BYTES, 50e6);
        f.put(ContainerFigure.MEMORY_LIMIT_BYTES, 512e6);
        f.put(ContainerFigure.NETWORK_RX_BYTES, 1e6);
        f.put(ContainerFigure.NETWORK_TX_BYTES, 2e6);
        f.put(ContainerFigure.BLKIO_READ_BYTES, 4096.0);
        return new ContainerReport(target(i), i + 1, new ContainerMetrics("c" + i, at, f));
    }

    /** {@code tasks} tasks up, each with its container, at {@code at}. */
    static Snapshot of(long sequence, Instant at, int tasks, long n) {
        List<TargetReport> targets = new ArrayList<>();
        List<ContainerReport> containers = new ArrayList<>();
        for (int i = 0; i < tasks; i++) {
            targets.add(up(i, at, n, false));
            containers.add(container(i, at, n * 2.0));
        }
        return new Snapshot(sequence, at, Duration.ofMillis(50), targets, List.of(), containers);
    }
}
