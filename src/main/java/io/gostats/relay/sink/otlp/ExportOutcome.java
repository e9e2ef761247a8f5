package io.gostats.relay.sink.otlp;

import java.util.Locale;
import java.util.regex.Pattern;

import io.opentelemetry.exporter.internal.FailedExportException;

/**
 * What became of one export request: the {@code outcome} of {@code relay_otlp_exports_total}. {@link #classify} tells
 * apart why an export failed, from the exporter's failure (an internal class of the exporter, pinned by the same BOM;
 * read here only). Only status codes are kept: a server's message may echo request headers, the API key among them,
 * so no message text leaves this class. Which codes are worth retrying follows the OTLP specification (HTTP 429, 502,
 * 503, 504; gRPC CANCELLED, DEADLINE_EXCEEDED, ABORTED, OUT_OF_RANGE, UNAVAILABLE, DATA_LOSS, RESOURCE_EXHAUSTED), as
 * the Java exporter's own RetryUtil does.
 */
enum ExportOutcome {
    /** Accepted by the receiver. */
    OK,
    /** Endpoint down, timed out, connection closed, 502/503/504, gRPC UNAVAILABLE and the like: sent again later. */
    UNAVAILABLE,
    /** 429 or RESOURCE_EXHAUSTED that is not about size (a quota): sent again later. */
    THROTTLED,
    /** Refused as too large (413, or RESOURCE_EXHAUSTED about the message size): split in two and sent again. */
    TOO_LARGE,
    /** The key or token was refused (401/403, UNAUTHENTICATED, PERMISSION_DENIED): sent again every 5 minutes. */
    UNAUTHORIZED,
    /** Any other refusal (400, INVALID_ARGUMENT...): sending it again would get the same answer, so it is dropped. */
    REJECTED,
    /** Kept longer than relay.otlp.buffer, or pushed out of relay.otlp.buffer-size by newer ones: dropped. */
    DROPPED;

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    boolean retried() {
        return this == UNAVAILABLE || this == THROTTLED || this == UNAUTHORIZED;
    }

    /** Why it failed, and the code that says so ({@code grpc 14}, {@code http 503}, {@code io}). */
    record Failure(ExportOutcome outcome, String code) {
    }

    /**
     * A size refusal, in the words of grpc-go ("received message larger than max", also "after decompression") and
     * grpc-java ("exceeds maximum size"); any other RESOURCE_EXHAUSTED is a quota.
     */
    private static final Pattern SIZE_REFUSAL = Pattern.compile("(?i)larger than max|exceeds maximum size|too large");

    static Failure classify(Throwable t) {
        if (t instanceof FailedExportException.GrpcExportException g && g.failedWithResponse()) {
            int code = g.getResponse().grpcStatusValue();
            String desc = g.getResponse().grpcStatusDescription();
            return new Failure(grpc(code, desc == null ? "" : desc), "grpc " + code);
        }
        if (t instanceof FailedExportException.HttpExportException h && h.failedWithResponse()) {
            int status = h.getResponse().statusCode();
            return new Failure(http(status), "http " + status);
        }
        return new Failure(UNAVAILABLE, t == null || timedOut(t) ? "timeout" : "io");
    }

    /** The request got no answer in time (OkHttp's call timeout), rather than no connection. */
    private static boolean timedOut(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof java.io.InterruptedIOException) {
                return true;
            }
        }
        return false;
    }

    static ExportOutcome grpc(int code, String description) {
        return switch (code) {
            case 1, 4, 10, 11, 14, 15 -> UNAVAILABLE;
            case 8 -> SIZE_REFUSAL.matcher(description).find() ? TOO_LARGE : THROTTLED;
            case 7, 16 -> UNAUTHORIZED;
            default -> REJECTED;
        };
    }

    static ExportOutcome http(int status) {
        return switch (status) {
            case 502, 503, 504 -> UNAVAILABLE;
            case 429 -> THROTTLED;
            case 413 -> TOO_LARGE;
            case 401, 403 -> UNAUTHORIZED;
            default -> REJECTED;
        };
    }
}
