package io.gostats.relay.e2e;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import io.gostats.relay.sink.otlp.FakeOtlpReceiver;

/**
 * Before the relay starts: a throw-away engine with one ECS-labelled task of each source format in cluster
 * {@value #CLUSTER}, all from the test image: {@value #STATS} (statsapp, golang-stats JSON on the default
 * {@code /stats}), {@value #PROM} (promapp's client_golang {@code /metrics}, chosen by the {@code gostats.path} label,
 * allocating so that GCs happen) and {@value #VARS} (promapp's expvar {@code /debug/vars}, publishing goroutines,
 * GOMAXPROCS and cgo calls). The relay posts to a strict fake Mackerel and pushes OTLP/HTTP to a receiver made of
 * the official proto classes. A failed setup is handed to the test as {@code e2e.setup-error}.
 */
public class FormatTasksResource extends TasksResource {

    static final String CLUSTER = "formats";
    static final String STATS = "fmt-stats";
    static final String PROM = "fmt-prom";
    static final String VARS = "fmt-vars";
    static final int VARS_GOROUTINES = 9;
    static final String MACKEREL_KEY = "e2eFormatsMackerelKey0123456789SECRET";

    FakeOtlpReceiver otlp;

    @Override
    Map<String, String> scenario(String dockerHost) throws IOException {
        Task stats = Task.start(engine, CLUSTER, STATS, "1", "api", 5, true);
        Task prom = Task.run(engine, CLUSTER, PROM, "1", "api", 0, true, Map.of("gostats.path", "/metrics"),
                List.of(), List.of("/promapp", "-listen", ":8080", "-churn"));
        Task vars = Task.run(engine, CLUSTER, VARS, "1", "api", VARS_GOROUTINES, false,
                Map.of("gostats.path", "/debug/vars"), List.of(),
                List.of("/promapp", "-listen", ":8080", "-extra", "-goroutines", Integer.toString(VARS_GOROUTINES)));
        Map<String, String> config = relayConfig(dockerHost, "com.amazonaws.ecs.cluster=" + CLUSTER,
                MACKEREL_KEY, "i-0e2e0e2e0e2e0e2e2");
        otlp = FakeOtlpReceiver.http();
        config.put("relay.otlp.endpoint", otlp.endpoint());
        config.put("relay.otlp.protocol", "http/protobuf");
        config.put("e2e.stats", stats.spec());
        config.put("e2e.prom", prom.spec());
        config.put("e2e.vars", vars.spec());
        return config;
    }

    @Override
    List<String> setupKeys() {
        return List.of("e2e.stats", "e2e.prom", "e2e.vars");
    }

    @Override
    public void inject(TestInjector injector) {
        super.inject(injector);
        if (otlp != null) {
            injector.injectIntoFields(otlp, new TestInjector.MatchesType(FakeOtlpReceiver.class));
        }
    }

    @Override
    public void stop() {
        if (otlp != null) {
            otlp.close();
            otlp = null;
        }
        super.stop();
    }
}
