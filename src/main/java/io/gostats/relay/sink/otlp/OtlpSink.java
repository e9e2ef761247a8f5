package io.gostats.relay.sink.otlp;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import io.github.resilience4j.core.IntervalFunction;
import io.gostats.relay.config.ConfigProperty;
import io.gostats.relay.instance.InstanceIdentity;
import io.gostats.relay.model.Snapshot;
import io.gostats.relay.sink.MetricSink;
import io.gostats.relay.sink.SinkStatus;
import io.gostats.relay.sink.otlp.SnapshotMetrics.TaskBatch;
import io.gostats.relay.util.DaemonThreads;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.sdk.metrics.export.MetricExporter;

/**
 * OpenTelemetry OTLP push (Mackerel labeled metrics, an OpenTelemetry Collector, any OTLP backend): every
 * {@code relay.otlp.interval}, the latest snapshot as cumulative metric data, one resource per task, handed to the
 * SDK's OTLP exporter in requests under the size limit; a failed request is kept (bounded) and sent again, oldest
 * first, by a sender thread of its own. On when an endpoint is set, or with the Mackerel preset.
 */
@ApplicationScoped
public class OtlpSink implements MetricSink {

    private static final Logger LOG = Logger.getLogger(OtlpSink.class);
    /** The exporter logs a failure with the server's message, which may echo the key: the sink logs outcomes. */
    private static final java.util.logging.Logger EXPORTER_LOG = java.util.logging.Logger
            .getLogger("io.opentelemetry.exporter");

    private final OtlpConfig config;
    private final OtlpSettings settings;
    private final MeterRegistry registry;
    private final Map<String, String> resourceAttributes;
    private final Map<ExportOutcome, Counter> outcomes = new EnumMap<>(ExportOutcome.class);
    private final AtomicInteger series = new AtomicInteger();
    private final List<Meter> meters = new ArrayList<>();
    private final IntervalFunction backoff;
    private final InstanceIdentity instance;
    private ExportQueue queue;
    private SnapshotMetrics metrics;
    private MetricExporter exporter;
    private volatile Sender sender;
    private ScheduledExecutorService thread;
    private long lastSlot = Long.MIN_VALUE;
    private volatile Instant lastBuilt = Instant.EPOCH;

    @Inject
    public OtlpSink(OtlpConfig config, MeterRegistry registry, Config env, InstanceIdentity instance) {
        this(config, registry, name -> env.getOptionalValue(name, String.class), Sender.defaultBackoff(), instance);
    }

    /** Without the metadata service: {@code host.id} is the host name. */
    OtlpSink(OtlpConfig config, MeterRegistry registry, java.util.function.Function<String, Optional<String>> env,
            IntervalFunction backoff) {
        this(config, registry, env, backoff, new InstanceIdentity(Optional.empty()));
    }

    OtlpSink(OtlpConfig config, MeterRegistry registry, java.util.function.Function<String, Optional<String>> env,
            IntervalFunction backoff, InstanceIdentity instance) {
        this.config = config;
        this.instance = instance;
        this.registry = registry;
        this.backoff = backoff;
        this.settings = OtlpSettings.resolve(config, env);
        if (config.interval().toMillis() < 1000) {
            throw new IllegalArgumentException("relay.otlp.interval: must be at least 1s, was " + config.interval());
        }
        ConfigProperty.positive("relay.otlp.buffer", config.buffer());
        ConfigProperty.atLeast("relay.otlp.max-request-size", config.maxRequestSize().asLongValue(), 64 * 1024);
        ConfigProperty.atLeast("relay.otlp.buffer-size", config.bufferSize().asLongValue(),
                config.maxRequestSize().asLongValue());
        this.resourceAttributes = KeyValueList.parse("relay.otlp.resource-attributes",
                config.resourceAttributes().orElse(""));
        config.serviceName().filter(String::isBlank).ifPresent(s -> {
            throw new IllegalArgumentException("relay.otlp.service-name: must not be blank");
        });
        LOG.infof(settings.enabled() ? "OTLP sink on (%s): %s" : "OTLP sink off (%s)", settings.why(), settings);
        if (settings.enabled()) {
            EXPORTER_LOG.setLevel(java.util.logging.Level.OFF);
            this.queue = new ExportQueue(config.buffer(), config.bufferSize().asLongValue(),
                    () -> outcome(ExportOutcome.DROPPED, null));
            registerMeters();
        }
    }

    private void registerMeters() {
        for (ExportOutcome o : ExportOutcome.values()) {
            outcomes.put(o, Counter.builder("relay.otlp.exports").tag("outcome", o.label())
                    .description("OTLP export requests, by outcome.").register(registry));
        }
        meters.addAll(outcomes.values());
        meters.add(Gauge.builder("relay.otlp.series", series, AtomicInteger::get)
                .description("Points (series) in the latest OTLP export.").register(registry));
        meters.add(Gauge.builder("relay.otlp.queue.requests", queue, ExportQueue::size)
                .description("OTLP requests waiting to be sent.").register(registry));
    }

    private void outcome(ExportOutcome o, ExportRequest r) {
        outcomes.get(o).increment();
    }

    @Override
    public String name() {
        return "otlp";
    }

    @Override
    public boolean enabled() {
        return settings.enabled();
    }

    /** The exporter and the sender thread: on the lane, before the first snapshot. */
    @Override
    public synchronized void start() {
        if (!settings.enabled() || sender != null) {
            return;
        }
        instance.lookUp(); // host.id: the EC2 instance id, usually known before the first export
        metrics = new SnapshotMetrics(new TaskResources(config.serviceName(), resourceAttributes, instance));
        exporter = settings.exporter();
        sender = new Sender(exporter, queue, backoff, settings.timeout(), Clock.systemUTC(), this::outcome);
        thread = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("otlp-sender"));
        thread.scheduleWithFixedDelay(this::tick, 0, 250, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        try {
            sender.tick();
        } catch (RuntimeException e) {
            LOG.errorf("OTLP sender step failed (%s); next in a moment", e.getClass().getSimpleName());
        }
    }

    /** The first snapshot of each interval (aligned on the wall clock) becomes one export. */
    @Override
    public void accept(Snapshot snapshot) {
        if (metrics == null) {
            return;
        }
        long slot = Math.floorDiv(snapshot.cycleTime().toEpochMilli(), config.interval().toMillis());
        if (slot == lastSlot) {
            return;
        }
        lastSlot = slot;
        List<TaskBatch> tasks = metrics.build(snapshot);
        series.set(tasks.stream().mapToInt(TaskBatch::points).sum());
        lastBuilt = snapshot.cycleTime();
        queue.addAll(ExportRequest.pack(snapshot.cycleTime(), tasks, config.maxRequestSize().asLongValue()));
    }

    /** SIGTERM: the request in flight ends, then what is queued goes out until the budget is spent. */
    @Override
    public void stop(Duration budget) {
        ScheduledExecutorService t;
        synchronized (this) {
            t = thread;
        }
        if (t == null) {
            meters.forEach(registry::remove);
            return;
        }
        Instant deadline = Instant.now().plus(budget);
        t.shutdown();
        try {
            t.awaitTermination(budget.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        t.shutdownNow();
        sender.flush(deadline);
        if (queue.size() > 0) {
            LOG.warnf("OTLP: %d requests not sent at shutdown", queue.size());
        }
        exporter.shutdown().join(1, TimeUnit.SECONDS);
        meters.forEach(registry::remove);
    }

    /** Last export, series, queue and outcomes; the endpoint but never a header value. Down while the key is refused. */
    @Override
    public SinkStatus status() {
        if (!settings.enabled()) {
            return new SinkStatus(name(), false, "off", Map.of(), Map.of());
        }
        Sender.Last last = sender == null ? null : sender.last();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("endpoint", settings.endpoint());
        details.put("series", series.get());
        details.put("lastSnapshot", lastBuilt.equals(Instant.EPOCH) ? null : lastBuilt.toString());
        details.put("lastExportAt", last == null || last.at().equals(Instant.EPOCH) ? null : last.at().toString());
        details.put("lastExport", last == null ? null : last.outcome().label()
                + (last.code().isEmpty() ? "" : " (" + last.code() + ")"));
        details.put("lastOkAt", last == null || last.okAt().equals(Instant.EPOCH) ? null : last.okAt().toString());
        details.put("queuedRequests", queue.size());
        details.put("queuedBytes", queue.bytes());
        List<String> failed = new ArrayList<>();
        outcomes.forEach((o, c) -> {
            details.put("exports." + o.label(), (long) c.count());
            if (o != ExportOutcome.OK && c.count() > 0) {
                failed.add(o.label() + " " + (long) c.count());
            }
        });
        boolean authorized = last == null || last.outcome() != ExportOutcome.UNAUTHORIZED;
        String state = (authorized ? "" : "KEY REFUSED; ") + series.get() + " series to " + settings.endpoint()
                + "; last export " + (last == null || last.at().equals(Instant.EPOCH) ? "none yet"
                        : last.at() + ": " + details.get("lastExport"))
                + "; " + queue.size() + " requests queued" + (failed.isEmpty() ? "" : "; failures " + failed);
        return new SinkStatus(name(), authorized, state, details, Map.of());
    }
}
