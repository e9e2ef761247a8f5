package io.gostats.relay.sink.otlp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** A fake OTLP/HTTP receiver for a whole relay under test; the relay's OTLP sink points at it. */
public class OtlpReceiverResource implements QuarkusTestResourceLifecycleManager {

    static volatile FakeOtlpReceiver receiver;

    @Override
    public Map<String, String> start() {
        try {
            receiver = FakeOtlpReceiver.http();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("relay.otlp.endpoint", receiver.endpoint());
    }

    @Override
    public void stop() {
        if (receiver != null) {
            receiver.close();
        }
    }
}
