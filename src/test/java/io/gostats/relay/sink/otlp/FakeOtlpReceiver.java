package io.gostats.relay.sink.otlp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;

/**
 * An OTLP metrics receiver built from the official opentelemetry-proto classes, over gRPC (grpc-java, h2c on
 * loopback, at most 4,000,000 bytes a message after decompression, as Mackerel) and over HTTP ({@code POST
 * /v1/metrics}, protobuf, gzip when the request says so). It decodes and keeps every accepted request with its
 * headers, and checks the sink's promises on each point (names and attribute keys in {@code [a-z0-9_.]}, sums
 * cumulative with a start time not after the point's time), collecting what breaks them in {@link #violations}.
 * Faults are scripted, one per request, in order.
 */
public final class FakeOtlpReceiver implements AutoCloseable {

    static final int MAX_MESSAGE = 4_000_000;
    private static final Pattern KEY = Pattern.compile("[a-z0-9_.]+");
    private static final Context.Key<Map<String, String>> HEADERS = Context.key("headers");

    /** What the receiver does with one request instead of accepting it. */
    sealed interface Fault {
    }

    record GrpcStatus(Status.Code code, String description) implements Fault {
    }

    record HttpStatus(int status) implements Fault {
    }

    /** HTTP only: {@code status} with a {@code Retry-After} header. */
    record Throttle(int status, String retryAfter) implements Fault {
    }

    /** Waits, then accepts: a stalled receiver (the client's timeout ends the request first). */
    record Stall(long millis) implements Fault {
    }

    /** HTTP only: closes the connection without an answer. */
    record Close() implements Fault {
    }

    record Received(ExportMetricsServiceRequest request, Map<String, String> headers, int bytes) {
    }

    /** A point with its metric and its resource's attributes. */
    public record Point(Map<String, String> resource, Metric metric, NumberDataPoint point) {
        public String attribute(String key) {
            return point.getAttributesList().stream().filter(a -> a.getKey().equals(key)).findFirst()
                    .map(a -> a.getValue().getStringValue()).orElse(null);
        }

        public double value() {
            return point.hasAsDouble() ? point.getAsDouble() : point.getAsInt();
        }
    }

    final List<Received> received = new CopyOnWriteArrayList<>();
    public final List<String> violations = new CopyOnWriteArrayList<>();
    /** Every request that arrived, accepted or not, with its headers. */
    final List<Map<String, String>> attempts = new CopyOnWriteArrayList<>();
    final Deque<Fault> faults = new ConcurrentLinkedDeque<>();
    private Server grpc;
    private HttpServer http;

    static FakeOtlpReceiver grpc() throws IOException {
        FakeOtlpReceiver r = new FakeOtlpReceiver();
        r.grpc = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).maxInboundMessageSize(MAX_MESSAGE)
                .addService(ServerInterceptors.intercept(r.new Service(), r.headerCapture())).build().start();
        return r;
    }

    public static FakeOtlpReceiver http() throws IOException {
        FakeOtlpReceiver r = new FakeOtlpReceiver();
        r.http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        r.http.createContext("/v1/metrics", r::handle);
        r.http.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        r.http.start();
        return r;
    }

    /** The base URL, as relay.otlp.endpoint takes it. */
    public String endpoint() {
        return "http://127.0.0.1:" + (grpc != null ? grpc.getPort() : http.getAddress().getPort());
    }

    public List<Point> points(String name) {
        List<Point> out = new ArrayList<>();
        for (Received r : received) {
            for (ResourceMetrics rm : r.request().getResourceMetricsList()) {
                Map<String, String> resource = attributes(rm.getResource().getAttributesList());
                for (ScopeMetrics sm : rm.getScopeMetricsList()) {
                    for (Metric m : sm.getMetricsList()) {
                        if (m.getName().equals(name)) {
                            dataPoints(m).forEach(p -> out.add(new Point(resource, m, p)));
                        }
                    }
                }
            }
        }
        return out;
    }

    static Map<String, String> attributes(List<KeyValue> kvs) {
        Map<String, String> out = new HashMap<>();
        kvs.forEach(kv -> out.put(kv.getKey(), kv.getValue().hasIntValue() ? Long.toString(kv.getValue().getIntValue())
                : kv.getValue().getStringValue()));
        return out;
    }

    private static List<NumberDataPoint> dataPoints(Metric m) {
        return m.hasSum() ? m.getSum().getDataPointsList() : m.getGauge().getDataPointsList();
    }

    /** Waits until {@code condition} holds or {@code millis} passed (the caller asserts what it needs). */
    static void until(java.util.function.BooleanSupplier condition, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (!condition.getAsBoolean() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
    }

    /** Tasks (resources) accepted over all requests. */
    int tasks() {
        return received.stream().mapToInt(r -> r.request().getResourceMetricsCount()).sum();
    }

    void await(int requests, long millis) throws InterruptedException {
        until(() -> received.size() >= requests, millis);
        if (received.size() < requests) {
            throw new AssertionError("received " + received.size() + " requests, not " + requests + "; attempts "
                    + attempts.size());
        }
    }

    /** Accepts the request unless a fault is scripted; returns the fault or null. */
    private Fault take(ExportMetricsServiceRequest req, Map<String, String> headers, int bytes) {
        attempts.add(headers);
        Fault f = faults.poll();
        if (f instanceof Stall s) {
            try {
                Thread.sleep(s.millis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else if (f != null) {
            return f;
        }
        check(req);
        received.add(new Received(req, headers, bytes));
        return null;
    }

    private void check(ExportMetricsServiceRequest req) {
        for (ResourceMetrics rm : req.getResourceMetricsList()) {
            rm.getResource().getAttributesList().forEach(kv -> key("resource attribute", kv.getKey()));
            for (ScopeMetrics sm : rm.getScopeMetricsList()) {
                for (Metric m : sm.getMetricsList()) {
                    key("metric", m.getName());
                    if (m.hasSum() && m.getSum().getAggregationTemporality()
                            != AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE) {
                        violations.add(m.getName() + ": not cumulative");
                    }
                    for (NumberDataPoint p : dataPoints(m)) {
                        p.getAttributesList().forEach(kv -> key("point attribute", kv.getKey()));
                        if (m.hasSum() && (p.getStartTimeUnixNano() == 0
                                || p.getStartTimeUnixNano() > p.getTimeUnixNano())) {
                            violations.add(m.getName() + ": start " + p.getStartTimeUnixNano() + " time "
                                    + p.getTimeUnixNano());
                        }
                    }
                }
            }
        }
    }

    private void key(String what, String key) {
        if (!KEY.matcher(key).matches()) {
            violations.add(what + " '" + key + "' is not [a-z0-9_.]+");
        }
    }

    private ServerInterceptor headerCapture() {
        return new ServerInterceptor() {
            @Override
            public <Q, A> io.grpc.ServerCall.Listener<Q> interceptCall(io.grpc.ServerCall<Q, A> call, Metadata md,
                    io.grpc.ServerCallHandler<Q, A> next) {
                Map<String, String> h = new HashMap<>();
                for (String k : md.keys()) {
                    if (!k.endsWith("-bin")) {
                        h.put(k, md.get(Metadata.Key.of(k, Metadata.ASCII_STRING_MARSHALLER)));
                    }
                }
                return Contexts.interceptCall(Context.current().withValue(HEADERS, h), call, md, next);
            }
        };
    }

    private final class Service extends MetricsServiceGrpc.MetricsServiceImplBase {
        @Override
        public void export(ExportMetricsServiceRequest req, StreamObserver<ExportMetricsServiceResponse> out) {
            Fault f = take(req, HEADERS.get(), req.getSerializedSize());
            if (f instanceof GrpcStatus s) {
                out.onError(Status.fromCode(s.code()).withDescription(s.description()).asRuntimeException());
                return;
            }
            out.onNext(ExportMetricsServiceResponse.getDefaultInstance());
            out.onCompleted();
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        Map<String, String> h = new HashMap<>();
        ex.getRequestHeaders().forEach((k, v) -> h.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
        byte[] body;
        try (InputStream in = "gzip".equals(h.get("content-encoding")) ? new GZIPInputStream(ex.getRequestBody())
                : ex.getRequestBody()) {
            body = in.readAllBytes();
        }
        if (!"application/x-protobuf".equals(h.get("content-type")) || !"POST".equals(ex.getRequestMethod())) {
            violations.add("HTTP request " + ex.getRequestMethod() + " " + h.get("content-type"));
        }
        Fault f = take(ExportMetricsServiceRequest.parseFrom(body), h, body.length);
        if (f instanceof Close) {
            ex.close();
            return;
        }
        byte[] answer = ExportMetricsServiceResponse.getDefaultInstance().toByteArray();
        ex.getResponseHeaders().add("Content-Type", "application/x-protobuf");
        if (f instanceof Throttle t) {
            ex.getResponseHeaders().add("Retry-After", t.retryAfter());
        }
        int status = f instanceof HttpStatus s ? s.status() : f instanceof Throttle t ? t.status() : 200;
        ex.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(answer);
        }
    }

    @Override
    public void close() {
        if (grpc != null) {
            grpc.shutdownNow();
        }
        if (http != null) {
            http.stop(0);
        }
    }
}
