package io.gostats.relay.e2e;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Before the relay starts: a throw-away engine with two ECS-labelled tasks of cluster {@value #CLUSTER}:
 * {@value #BURN_FAMILY} keeps half a core busy ({@code -burn 0.5}) under a CPU quota of {@value #QUOTA_CPUS} CPU
 * (so that CFS throttles it: the Docker Engine reports that), {@value #HOLD_FAMILY} holds {@value #HOLD_MIB} MiB
 * under a {@value #LIMIT_MIB} MiB limit. A strict fake Mackerel receives the posts. A failed setup is handed to the
 * test as {@code e2e.setup-error}; stopping is {@link TasksResource}'s.
 */
public class ContainerStatsTasksResource extends TasksResource {

    static final String CLUSTER = "res";
    static final String BURN_FAMILY = "res-burn";
    static final String HOLD_FAMILY = "res-hold";
    static final double BURN_CORES = 0.5;
    /** Below what the burner asks for: it is throttled in most 100 ms periods. */
    static final String QUOTA_CPUS = "0.3";
    static final int HOLD_MIB = 96;
    static final int LIMIT_MIB = 256;
    static final String MACKEREL_KEY = "e2eContainerStatsKey0123456789SECRET";

    @Override
    Map<String, String> scenario(String dockerHost) throws IOException {
        Task burn = Task.start(engine, CLUSTER, BURN_FAMILY, "1", "app", 0, false, Map.of(),
                List.of("--cpus", QUOTA_CPUS), List.of("-burn", Double.toString(BURN_CORES)));
        Task hold = Task.start(engine, CLUSTER, HOLD_FAMILY, "1", "app", 0, false, Map.of(),
                List.of("-m", LIMIT_MIB + "m"), List.of("-hold-mib", Integer.toString(HOLD_MIB)));
        Map<String, String> config = relayConfig(dockerHost, "com.amazonaws.ecs.cluster=" + CLUSTER,
                MACKEREL_KEY, "i-0e2e0e2e0e2e0e2e1");
        // the per-container graphs are off by default (README's cost table): this test reads them
        config.put("relay.mackerel.graphs", "gostats,container,docker,host-sums");
        config.put("e2e.burn", burn.spec());
        config.put("e2e.hold", hold.spec());
        return config;
    }

    @Override
    List<String> setupKeys() {
        return List.of("e2e.burn", "e2e.hold");
    }
}
