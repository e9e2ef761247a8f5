package io.gostats.relay.sink.otlp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.resilience4j.core.IntervalFunction;
import io.gostats.relay.ConfigErrorsTest;
import io.gostats.relay.instance.InstanceIdentity;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** OTLP sinks as start-up makes them, from properties and an environment, with a short backoff for the tests. */
final class Sinks {

    private Sinks() {
    }

    static OtlpConfig config(String... keyValues) {
        return ConfigErrorsTest.config(OtlpConfig.class, keyValues);
    }

    static OtlpSettings settings(Map<String, String> env, String... keyValues) {
        return OtlpSettings.resolve(config(keyValues), n -> Optional.ofNullable(env.get(n)));
    }

    /** A started sink sending to {@code receiver}; {@code keyValues} add to or override the endpoint. */
    static OtlpSink started(FakeOtlpReceiver receiver, Map<String, String> env, Duration backoff,
            String... keyValues) {
        return started(receiver, new InstanceIdentity(Optional.empty()), env, backoff, keyValues);
    }

    /** The same on the instance {@code instance} says the relay runs on. */
    static OtlpSink started(FakeOtlpReceiver receiver, InstanceIdentity instance, Map<String, String> env,
            Duration backoff, String... keyValues) {
        List<String> kv = new ArrayList<>(List.of("relay.otlp.endpoint", receiver.endpoint()));
        kv.addAll(List.of(keyValues));
        OtlpSink sink = new OtlpSink(config(kv.toArray(String[]::new)), new SimpleMeterRegistry(),
                n -> Optional.ofNullable(env.get(n)), IntervalFunction.of(backoff), instance);
        sink.start();
        return sink;
    }

    static long count(OtlpSink sink, ExportOutcome o) {
        return ((Number) sink.status().details().get("exports." + o.label())).longValue();
    }
}
