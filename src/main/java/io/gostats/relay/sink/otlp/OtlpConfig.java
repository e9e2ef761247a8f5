package io.gostats.relay.sink.otlp;

import java.time.Duration;
import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The OTLP sink's properties. Where one is not set, the OpenTelemetry environment variable of the same meaning is
 * read ({@link OtlpSettings}), as the OpenTelemetry SDKs do; the Mackerel preset ignores those variables.
 */
@ConfigMapping(prefix = "relay.otlp")
public interface OtlpConfig {

    /** Off by default; on when an endpoint is set (here or in OTEL_EXPORTER_OTLP_[METRICS_]ENDPOINT) or with the preset. */
    Optional<Boolean> enabled();

    /** A base URL, as OTEL_EXPORTER_OTLP_ENDPOINT: for http/protobuf {@code /v1/metrics} is appended. */
    Optional<String> endpoint();

    /** {@code grpc} or {@code http/protobuf}; else OTEL_EXPORTER_OTLP_[METRICS_]PROTOCOL, else grpc. */
    Optional<String> protocol();

    /** {@code key=value,...}, values percent-decoded; else OTEL_EXPORTER_OTLP_[METRICS_]HEADERS. Never logged. */
    Optional<String> headers();

    /** {@code gzip} or {@code none}; else OTEL_EXPORTER_OTLP_[METRICS_]COMPRESSION, else none. */
    Optional<String> compression();

    /** Bound of one export request; else OTEL_EXPORTER_OTLP_[METRICS_]TIMEOUT (milliseconds), else 10 s. */
    Optional<Duration> timeout();

    /** Mackerel labeled metrics: https://otlp.mackerelio.com:4317, gRPC, gzip, Mackerel-Api-Key from MACKEREL_APIKEY. */
    @WithDefault("false")
    boolean mackerel();

    /** Time between exports, aligned to the wall clock as the cycle is; the latest snapshot is sent. */
    @WithDefault("60s")
    Duration interval();

    /** Largest request, uncompressed (Mackerel refuses messages over 4 MB after decompression). */
    @WithDefault("3500000")
    MemorySize maxRequestSize();

    /** How long a failed export is kept to be sent again, oldest first. */
    @WithDefault("30m")
    Duration buffer();

    /** Bound of the kept exports, in request bytes; the oldest are dropped (counted) past it. */
    @WithDefault("16M")
    MemorySize bufferSize();

    /** {@code service.name} of every task; else the task's family (else its gostats.group, else container name). */
    Optional<String> serviceName();

    /** More resource attributes, {@code key=value,...} as OTEL_RESOURCE_ATTRIBUTES (e.g. deployment.environment.name). */
    Optional<String> resourceAttributes();
}
