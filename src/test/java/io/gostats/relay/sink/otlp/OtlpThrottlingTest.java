package io.gostats.relay.sink.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.gostats.relay.sink.otlp.FakeOtlpReceiver.Throttle;
import io.opentelemetry.exporter.internal.grpc.GrpcResponse;
import io.opentelemetry.exporter.internal.http.HttpSender;

/**
 * Throttling as the OTLP specification asks of a client that cannot see the server's hint: the SDK's exporter
 * (1.57.0) hands the sink an HTTP failure's status, message and body, and a gRPC failure's code and message, so
 * neither {@code Retry-After} nor a {@code google.rpc.RetryInfo} in the status details reaches it; the specification
 * then asks for exponential backoff, which the sink does. The first test fails when a later SDK surfaces more, so that
 * the hint is read then.
 */
class OtlpThrottlingTest {

    private FakeOtlpReceiver receiver;
    private OtlpSink sink;

    @AfterEach
    void close() {
        if (sink != null) {
            sink.stop(Duration.ofSeconds(2));
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    static Set<String> methods(Class<?> c) {
        return Arrays.stream(c.getDeclaredMethods()).filter(m -> !m.isSynthetic()).map(Method::getName)
                .filter(n -> !n.equals("create")).collect(Collectors.toSet());
    }

    @Test
    void theExportersFailureCarriesNoRetryHint() {
        assertEquals(Set.of("statusCode", "statusMessage", "responseBody"), methods(HttpSender.Response.class),
                "the HTTP failure now shows more than status, message and body: read Retry-After from it");
        assertEquals(Set.of("grpcStatusValue", "grpcStatusDescription"), methods(GrpcResponse.class),
                "the gRPC failure now shows more than code and message: read RetryInfo from its details");
    }

    @Test
    void a429WithRetryAfterIsRetriedWithTheSinksBackoff() throws Exception {
        receiver = FakeOtlpReceiver.http();
        receiver.faults.add(new Throttle(429, "30"));
        receiver.faults.add(new Throttle(503, "30"));
        sink = Sinks.started(receiver, Map.of(), Duration.ofMillis(300), "relay.otlp.protocol", "http/protobuf");
        Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        long start = System.nanoTime();
        sink.accept(Snapshots.of(1, minute, 2, 1));
        receiver.await(1, 10_000);
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(3, receiver.attempts.size(), "two refusals, then accepted");
        assertTrue(tookMs < 10_000, "the backoff, not the 30 s asked for, as nothing shows it: " + tookMs + " ms");
        assertEquals(1, Sinks.count(sink, ExportOutcome.THROTTLED));
        assertEquals(1, Sinks.count(sink, ExportOutcome.UNAVAILABLE));
        assertEquals(1, Sinks.count(sink, ExportOutcome.OK));
    }
}
