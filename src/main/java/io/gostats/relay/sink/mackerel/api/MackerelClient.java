package io.gostats.relay.sink.mackerel.api;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.client.api.LoggingScope;

import com.fasterxml.jackson.databind.JsonNode;

import io.gostats.relay.sink.mackerel.api.PostOutcome.Retry.Cause;
import io.gostats.relay.util.Causes;
import io.smallrye.mutiny.Uni;

/**
 * Mackerel's API as outcomes: every call completes with a {@link PostOutcome}, never with a failure, whatever the
 * network or Mackerel does. One instance per API key and base URL; it holds connections until {@link #close()}.
 */
public final class MackerelClient implements AutoCloseable {

    public static final URI DEFAULT_BASE_URI = URI.create("https://api.mackerelio.com");
    /** The official Go client's timeout. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private static final int MAX_MESSAGE_CHARS = 500;
    /** Every status but retired, as mackerel-agent looks its host up. */
    private static final List<String> LIVE_STATUSES = List.of("working", "standby", "maintenance", "poweroff");

    private final MackerelApi api;
    private final ApiKeyHeader key;
    private final Duration timeout;

    public MackerelClient(URI baseUri, String apiKey) {
        this(baseUri, apiKey, DEFAULT_TIMEOUT);
    }

    /** {@code timeout} bounds each call as a whole, connect to last byte. */
    public MackerelClient(URI baseUri, String apiKey, Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("Mackerel client timeout must be positive, was " + timeout);
        }
        this.key = new ApiKeyHeader(apiKey);
        this.timeout = timeout;
        this.api = RestClients.builder(baseUri, timeout)
                // requests carry the key: never log them, whatever quarkus.rest-client.logging.* says
                .loggingScope(LoggingScope.NONE)
                .loggingMaskedHeaders(Set.of(ApiKeyHeader.NAME))
                .register(key)
                .build(MackerelApi.class);
    }

    /** Posts the finite values in one request, or none at all when there is no finite value. */
    public Uni<MetricsPost> postMetrics(List<MetricValue> values) {
        List<MetricValue> finite = new ArrayList<>(values.size());
        for (MetricValue v : values) {
            if (Double.isFinite(v.value())) {
                finite.add(v);
            }
        }
        int dropped = values.size() - finite.size();
        if (finite.isEmpty()) {
            return Uni.createFrom().item(new MetricsPost(0, dropped, new PostOutcome.Ok<>(null)));
        }
        return call(() -> api.postMetrics(finite), r -> (Void) null)
                .map(outcome -> new MetricsPost(finite.size(), dropped, outcome));
    }

    public Uni<PostOutcome<Void>> postGraphDefs(List<GraphDefinition> definitions) {
        return call(() -> api.createGraphDefs(definitions), r -> null);
    }

    /** The new host's id. */
    public Uni<PostOutcome<String>> registerHost(HostRegistration host) {
        return call(() -> api.registerHost(host), r -> r.readEntity(MackerelApi.HostIdAnswer.class).id());
    }

    /** Empty when Mackerel answers 404 or {@code {"host": null}}. A retired host is found, {@link Host#retired()}. */
    public Uni<PostOutcome<Optional<Host>>> getHost(String id) {
        return lookup(() -> api.getHost(id));
    }

    /** Empty when no live host has this identifier (the hosts list query answers an empty list). */
    public Uni<PostOutcome<Optional<Host>>> findHostByCustomIdentifier(String customIdentifier) {
        return call(() -> api.findHosts(customIdentifier, LIVE_STATUSES),
                r -> r.readEntity(MackerelApi.HostsAnswer.class).hosts().stream().findFirst());
    }

    /** Sets the host's roles to exactly these ({@code Service:role}; missing ones are created). */
    public Uni<PostOutcome<Void>> putRoleFullnames(String id, List<String> roleFullnames) {
        return call(() -> api.putRoleFullnames(id, new MackerelApi.RoleFullnames(List.copyOf(roleFullnames))),
                r -> null);
    }

    public Uni<PostOutcome<Void>> retireHost(String id) {
        return call(() -> api.retireHost(id, Map.of()), r -> null);
    }

    public Uni<PostOutcome<List<Dashboard>>> listDashboards() {
        return call(api::listDashboards, r -> r.readEntity(MackerelApi.DashboardsAnswer.class).dashboards());
    }

    /** The dashboard as created, with its id; {@link PostOutcome.Rejected} with 409 when its urlPath is taken. */
    public Uni<PostOutcome<Dashboard>> createDashboard(Dashboard dashboard) {
        return call(() -> api.createDashboard(dashboard), r -> r.readEntity(Dashboard.class));
    }

    public Uni<PostOutcome<Dashboard>> updateDashboard(String id, Dashboard dashboard) {
        return call(() -> api.updateDashboard(id, dashboard), r -> r.readEntity(Dashboard.class));
    }

    /** The annotation as created, with its id; {@link PostOutcome.Rejected} 404 for an unknown service or role. */
    public Uni<PostOutcome<GraphAnnotation>> createGraphAnnotation(GraphAnnotation annotation) {
        return call(() -> api.createGraphAnnotation(annotation), r -> r.readEntity(GraphAnnotation.class));
    }

    /** The service's annotations whose interval meets {@code [from, to]} (Unix seconds). */
    public Uni<PostOutcome<List<GraphAnnotation>>> findGraphAnnotations(String service, long from, long to) {
        return call(() -> api.findGraphAnnotations(service, from, to),
                r -> Optional.ofNullable(r.readEntity(MackerelApi.GraphAnnotationsAnswer.class).graphAnnotations())
                        .orElse(List.of()));
    }

    private Uni<PostOutcome<Optional<Host>>> lookup(Supplier<Uni<Response>> request) {
        return call(request, r -> r.getStatus() == 404 ? Optional.<Host> empty()
                : Optional.ofNullable(r.readEntity(MackerelApi.HostAnswer.class).host()), 404);
    }

    private <T> Uni<PostOutcome<T>> call(Supplier<Uni<Response>> request, Function<Response, T> read) {
        return call(request, read, 0);
    }

    /** {@code alsoOk}: a non-2xx status that {@code read} turns into a value (0 for none). */
    private <T> Uni<PostOutcome<T>> call(Supplier<Uni<Response>> request, Function<Response, T> read, int alsoOk) {
        return Uni.createFrom().<Response> deferred(request::get)
                .ifNoItem().after(timeout).failWith(() -> new TimeoutException(
                        "no answer within " + timeout.toMillis() + " ms"))
                .map(response -> {
                    try (response) {
                        int status = response.getStatus();
                        return status / 100 == 2 || status == alsoOk ? ok(response, read) : this.<T> failed(response);
                    }
                })
                .onFailure().recoverWithItem(this::unanswered);
    }

    private <T> PostOutcome<T> ok(Response response, Function<Response, T> read) {
        try {
            return new PostOutcome.Ok<>(read.apply(response));
        } catch (RuntimeException e) {
            return new PostOutcome.Rejected<>(response.getStatus(), "unreadable answer: " + describe(e));
        }
    }

    private <T> PostOutcome<T> failed(Response response) {
        int status = response.getStatus();
        String message = errorMessage(response);
        if (status == 401 || status == 403) {
            return new PostOutcome.Unauthorized<>(status, "HTTP " + status
                    + ": the Mackerel API key is wrong or lacks Write permission, or this address is not allowed"
                    + " (Mackerel says: " + message + ")");
        }
        Optional<Duration> retryAfter = RetryAfter.parse(response.getHeaderString("Retry-After"), Instant.now());
        if (status == 429) {
            return new PostOutcome.Retry<>(Cause.RATE_LIMITED, "HTTP 429: " + message, retryAfter);
        }
        if (status >= 500) {
            return new PostOutcome.Retry<>(Cause.SERVER_ERROR, "HTTP " + status + ": " + message,
                    status == 503 ? retryAfter : Optional.empty());
        }
        if (status == 408) {
            return new PostOutcome.Retry<>(Cause.TIMEOUT, "HTTP 408: " + message);
        }
        return new PostOutcome.Rejected<>(status, message);
    }

    /** Mackerel's {@code {"error":{"message":...}}}, or the Go client's other form {@code {"error":"..."}}. */
    private String errorMessage(Response response) {
        String message = null;
        try {
            JsonNode error = response.readEntity(JsonNode.class).path("error");
            message = error.isTextual() ? error.asText() : error.path("message").isTextual()
                    ? error.path("message").asText() : null;
        } catch (RuntimeException notJson) {
            // an HTML page from a proxy, or no body: the status text says as much
        }
        if (message == null || message.isBlank()) {
            Response.StatusType s = Response.Status.fromStatusCode(response.getStatus());
            message = s != null ? s.getReasonPhrase() : response.getStatusInfo().getReasonPhrase();
        }
        return clip(key.redact(message));
    }

    private <T> PostOutcome<T> unanswered(Throwable e) {
        if (Causes.isTimeout(e)) {
            return new PostOutcome.Retry<>(Cause.TIMEOUT, describe(e));
        }
        return new PostOutcome.Retry<>(Cause.NETWORK, describe(e));
    }

    private String describe(Throwable e) {
        return clip(key.redact(Causes.rootMessage(e)));
    }

    private static String clip(String s) {
        return s.length() <= MAX_MESSAGE_CHARS ? s : s.substring(0, MAX_MESSAGE_CHARS) + "...";
    }

    @Override
    public void close() {
        if (api instanceof Closeable c) {
            try {
                c.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public String toString() {
        return "MackerelClient[timeout=" + timeout + "]";
    }
}
