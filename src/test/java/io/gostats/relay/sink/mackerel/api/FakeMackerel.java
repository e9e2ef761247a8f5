package io.gostats.relay.sink.mackerel.api;

import static io.gostats.relay.sink.mackerel.api.MackerelRules.bad;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.gostats.relay.sink.mackerel.api.MackerelRules.ApiError;

/**
 * A strict stand-in for Mackerel's API on 127.0.0.1 and a free port: it answers what the real one answers and
 * refuses, with Mackerel's error body, whatever the real one would refuse (see {@link MackerelRules}), so that a
 * client that passes here obeys the documented rules. Hosts, points, graph definitions and dashboards live in
 * memory for the test to inspect. Failures are injected with {@link #failNext} and {@link #failUntilCleared}.
 * One instance per test; {@link #close()} it.
 */
public final class FakeMackerel implements AutoCloseable {

    public static final String TSDB = "/api/v0/tsdb";
    public static final String GRAPH_DEFS = "/api/v0/graph-defs/create";
    /** Values older than this, relative to the fake's clock, are answered 200 but not recorded. */
    public static final Duration WINDOW = Duration.ofHours(24);

    public record PointKey(String hostId, String name, long time) {
    }

    /** {@code meta}: as the registering client wrote it ({@code agent-name}...). */
    public record FakeHost(String id, String name, String customIdentifier, List<String> roleFullnames,
            boolean retired, Map<String, Object> meta) {

        FakeHost withRoles(List<String> roles) {
            return new FakeHost(id, name, customIdentifier, List.copyOf(roles), retired, meta);
        }

        FakeHost retire() {
            return new FakeHost(id, name, customIdentifier, roleFullnames, true, meta);
        }
    }

    /** One request as it arrived, whatever became of it; never its headers, so never the key. */
    public record Received(String method, String path, int bodyBytes, String userAgent) {
    }

    /** What an injected failure does instead of (or, for a stall, before) the normal answer. */
    public sealed interface Fault {

        record Status(int status, String body) implements Fault {
        }

        /** {@code status} with a {@code Retry-After} header of {@code retryAfter}. */
        record Throttle(int status, String retryAfter) implements Fault {
        }

        /** Close the connection without an answer. */
        record Reset() implements Fault {
        }

        /** Hold the request for {@code duration} (null: until {@link #releaseStalls()}), then answer normally. */
        record Stall(Duration duration) implements Fault {
        }

        static Fault status(int status) {
            return status(status, "injected HTTP " + status);
        }

        /** Answers {@code {"error":{"message":message}}}. */
        static Fault status(int status, String message) {
            return new Status(status, errorBody(message));
        }

        static Fault rawStatus(int status, String body) {
            return new Status(status, body);
        }

        static Fault retryAfter(int status, String retryAfter) {
            return new Throttle(status, retryAfter);
        }

        static Fault reset() {
            return new Reset();
        }

        static Fault stall(Duration duration) {
            return new Stall(duration);
        }

        static Fault stallUntilReleased() {
            return new Stall(null);
        }
    }

    private static final class Rule {
        final String path;
        final Fault fault;
        int remaining;

        Rule(String path, Fault fault, int remaining) {
            this.path = path;
            this.fault = fault;
            this.remaining = remaining;
        }
    }

    static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final int FOREVER = -1;

    private final String apiKey;
    private volatile int bodyLimit;
    private volatile Duration latency = Duration.ZERO;
    private final FakeMackerelStore store;
    private final HttpServer server;
    private final ExecutorService executor;

    // guarded by this
    private final List<Received> received = new ArrayList<>();
    private final List<Rule> rules = new ArrayList<>();
    private CountDownLatch stallGate = new CountDownLatch(1);

    private FakeMackerel(String apiKey, Supplier<Instant> clock) throws IOException {
        this.apiKey = apiKey;
        this.store = new FakeMackerelStore(clock);
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-mackerel");
            t.setDaemon(true);
            return t;
        });
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public static FakeMackerel start(String apiKey) {
        return start(apiKey, Instant::now);
    }

    /** {@code clock} decides the 24 h window; pass e.g. {@code atomicInstant::get} to move time in a test. */
    public static FakeMackerel start(String apiKey, Supplier<Instant> clock) {
        try {
            return new FakeMackerel(apiKey, clock);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the fake Mackerel", e);
        }
    }

    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    // ---- what the test inspects

    public Map<PointKey, Double> points() {
        return store.points();
    }

    /** Values answered 200 but not recorded because they were older than {@link #WINDOW}. */
    public int oldPointsDropped() {
        return store.oldPointsDropped();
    }

    public Map<String, GraphDefinition> graphDefs() {
        return store.graphDefs();
    }

    public Map<String, FakeHost> hosts() {
        return store.hosts();
    }

    public List<JsonNode> dashboards() {
        return store.dashboards();
    }

    /** The graph annotations posted, with their ids, in the order they arrived. */
    public List<GraphAnnotation> graphAnnotations() {
        return store.graphAnnotations();
    }

    /** A service with these role names, as if made in the web UI (a host's roles make theirs too). */
    public void addService(String name, String... roles) {
        store.addService(name, roles);
    }

    /**
     * Every answer waits this long first (0: none): the network and server time of a real call, for tests of races
     * between clients.
     */
    public void latency(Duration latency) {
        this.latency = latency;
    }

    public synchronized List<Received> requests() {
        return List.copyOf(received);
    }

    public synchronized int requestCount() {
        return received.size();
    }

    public synchronized int requestCount(String path) {
        return (int) received.stream().filter(r -> r.path().equals(path)).count();
    }

    public synchronized int maxBodyBytes(String path) {
        return received.stream().filter(r -> r.path().equals(path)).mapToInt(Received::bodyBytes).max().orElse(0);
    }

    /** Registers a host directly, as if another client had; returns its id. */
    /** Bodies larger than {@code bytes} are answered 413 before any other check (0: no limit). */
    public void bodyLimit(int bytes) {
        this.bodyLimit = bytes;
    }

    /** See {@link FakeMackerelStore#notFoundAsNullHost}. */
    public void notFoundAsNullHost(boolean nullHost) {
        store.notFoundAsNullHost(nullHost);
    }

    /** See {@link FakeMackerelStore#tsdbUnknownHostStatus}. */
    public void tsdbUnknownHostStatus(int status) {
        store.tsdbUnknownHostStatus(status);
    }

    public void retire(String hostId) {
        store.retire(hostId);
    }

    public String addHost(String name, String customIdentifier, String... roleFullnames) {
        return store.addHost(name, customIdentifier, Map.of(), roleFullnames);
    }

    /** A host another client registered with this {@code meta.agent-name} (mackerel-agent's, say). */
    public String addHostOf(String agentName, String name, String customIdentifier, String... roleFullnames) {
        return store.addHost(name, customIdentifier, Map.of("agent-name", agentName), roleFullnames);
    }

    // ---- failure injection

    /** The next {@code n} requests, whatever their path, fail with {@code fault}. */
    public void failNext(int n, Fault fault) {
        failNext(null, n, fault);
    }

    /** The next {@code n} requests to {@code path} (decoded, e.g. {@link #TSDB}) fail with {@code fault}. */
    public synchronized void failNext(String path, int n, Fault fault) {
        rules.add(new Rule(path, fault, n));
    }

    public void failUntilCleared(Fault fault) {
        failUntilCleared(null, fault);
    }

    public synchronized void failUntilCleared(String path, Fault fault) {
        rules.add(new Rule(path, fault, FOREVER));
    }

    /** Ends every injected failure, and releases the stalled requests. */
    public synchronized void clearFailures() {
        rules.clear();
        releaseStalls();
    }

    /** The requests stalled so far go on; later stalls wait for the next release. */
    public synchronized void releaseStalls() {
        stallGate.countDown();
        stallGate = new CountDownLatch(1);
    }

    @Override
    public void close() {
        releaseStalls();
        server.stop(0);
        executor.shutdownNow();
    }

    // ---- serving

    private void handle(HttpExchange ex) {
        try {
            byte[] body = ex.getRequestBody().readAllBytes();
            String path = decode(ex.getRequestURI().getRawPath());
            Fault fault = arrived(new Received(ex.getRequestMethod(), path, body.length,
                    ex.getRequestHeaders().getFirst("User-Agent")));
            if (fault instanceof Fault.Reset) {
                return; // closing an exchange that sent no headers closes its connection
            }
            if (fault instanceof Fault.Throttle t) {
                ex.getResponseHeaders().set("Retry-After", t.retryAfter());
                send(ex, t.status(), errorBody("injected HTTP " + t.status()).getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (fault instanceof Fault.Status s) {
                send(ex, s.status(), s.body().getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (fault instanceof Fault.Stall s && !stall(s.duration())) {
                return;
            }
            if (!latency.isZero()) {
                Thread.sleep(latency.toMillis());
            }
            if (bodyLimit > 0 && body.length > bodyLimit) {
                // what Mackerel's nginx does with a large body (undocumented limit: a test chooses it)
                send(ex, 413, errorBody("Request Entity Too Large").getBytes(StandardCharsets.UTF_8));
                return;
            }
            byte[] answer;
            int status = 200;
            try {
                answer = JSON.writeValueAsBytes(answer(ex, body));
            } catch (ApiError e) {
                status = e.status;
                answer = errorBody(e.getMessage()).getBytes(StandardCharsets.UTF_8);
            } catch (RuntimeException bug) {
                status = 500;
                answer = errorBody("bug in FakeMackerel: " + bug).getBytes(StandardCharsets.UTF_8);
                bug.printStackTrace();
            }
            send(ex, status, answer);
        } catch (IOException clientGone) {
            // the client closed first, e.g. at its timeout during a stall
        } catch (InterruptedException closing) {
            Thread.currentThread().interrupt();
        } finally {
            ex.close();
        }
    }

    private synchronized Fault arrived(Received r) {
        received.add(r);
        for (Rule rule : rules) {
            if (rule.remaining != 0 && (rule.path == null || rule.path.equals(r.path()))) {
                if (rule.remaining > 0) {
                    rule.remaining--;
                }
                return rule.fault;
            }
        }
        return null;
    }

    /** False when the fake is closing. */
    private boolean stall(Duration duration) {
        CountDownLatch gate;
        synchronized (this) {
            gate = stallGate;
        }
        try {
            if (duration == null) {
                gate.await();
            } else {
                gate.await(duration.toMillis(), TimeUnit.MILLISECONDS);
            }
            return !executor.isShutdown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private JsonNode answer(HttpExchange ex, byte[] body) {
        if (!apiKey.equals(ex.getRequestHeaders().getFirst("X-Api-Key"))) {
            throw new ApiError(403, "Authentication failed: the API key is invalid or lacks this permission");
        }
        String method = ex.getRequestMethod();
        String raw = ex.getRequestURI().getRawPath();
        if (!raw.startsWith("/api/v0/")) {
            throw new ApiError(404, "not found");
        }
        List<String> p = Arrays.stream(raw.substring("/api/v0/".length()).split("/", -1))
                .map(FakeMackerel::decode).toList();
        JsonNode in = null;
        if (method.equals("POST") || method.equals("PUT")) {
            String type = ex.getRequestHeaders().getFirst("Content-Type");
            if (type == null || !type.toLowerCase().startsWith("application/json")) {
                throw new ApiError(415, "Content-Type must be application/json");
            }
            in = parse(body);
        }
        return store.route(method, p, query(ex.getRequestURI().getRawQuery()), in);
    }

    private static Map<String, List<String>> query(String raw) {
        Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                String[] kv = pair.split("=", 2);
                out.computeIfAbsent(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), k -> new java.util.ArrayList<>())
                        .add(kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
        }
        return out;
    }

    /** Percent-decoding of a URL path, where a {@code +} is itself. */
    private static String decode(String rawPath) {
        return URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static JsonNode parse(byte[] body) {
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw bad("empty body");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw bad("invalid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String errorBody(String message) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("message", message);
        return body.toString();
    }

    private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }
}
