package io.gostats.relay.sink.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.opentelemetry.exporter.internal.grpc.GrpcResponse;
import io.opentelemetry.exporter.internal.http.HttpSender;

/**
 * Throttling as the OTLP specification asks of a client that cannot see the server's hint: the SDK's exporter
 * (1.57.0) hands the sink an HTTP failure's status, message and body, and a gRPC failure's code and message, so
 * neither {@code Retry-After} nor a {@code google.rpc.RetryInfo} in the status details reaches it; the specification
 * then asks for exponential backoff, which the sink does ({@code OtlpFaultsTest}). This test fails when a later SDK
 * surfaces more, so that the hint is read then.
 */
class OtlpThrottlingTest {

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
}
