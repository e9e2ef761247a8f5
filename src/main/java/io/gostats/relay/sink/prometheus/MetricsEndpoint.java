package io.gostats.relay.sink.prometheus;

import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.netty.buffer.Unpooled;
import io.prometheus.client.exporter.common.TextFormat;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /q/metrics}: the relay's own Micrometer meters, then the per-task families of the latest snapshot as
 * written once for it ({@link SnapshotExposition}), sent as they are rather than copied into one string per scrape.
 * Quarkus's own endpoint, which would build the whole text as a string every time, is moved out of the way
 * ({@code quarkus.micrometer.export.prometheus.path} in application.properties) and serves the relay's meters only.
 * The format is chosen as Quarkus's endpoint chooses it, so nothing changes for a scraper: the text format 0.0.4 when
 * {@code Accept} names {@code text/plain} (as Prometheus's does) or {@code text/html}, else OpenMetrics.
 */
@ApplicationScoped
public class MetricsEndpoint {

    static final String PATH = "/q/metrics";
    private static final String EOF = "# EOF\n";

    private final PrometheusSink sink;
    private final PrometheusMeterRegistry registry;

    public MetricsEndpoint(PrometheusSink sink, PrometheusMeterRegistry registry) {
        this.sink = sink;
        this.registry = registry;
    }

    void route(@Observes Router router) {
        // a worker thread: a new snapshot's text is written at its first scrape (tens of ms at 1,000 targets)
        router.get(PATH).blockingHandler(this::handle, false);
    }

    private void handle(RoutingContext ctx) {
        boolean openMetrics = openMetrics(ctx.request().getHeader(HttpHeaders.ACCEPT));
        String own = registry.scrape(openMetrics ? TextFormat.CONTENT_TYPE_OPENMETRICS_100 : TextFormat.CONTENT_TYPE_004);
        if (openMetrics && own.endsWith(EOF)) {
            own = own.substring(0, own.length() - EOF.length()); // it goes after the per-task families
        }
        byte[] head = own.getBytes(StandardCharsets.UTF_8);
        byte[] tasks = sink.text(openMetrics).bytes();
        byte[] tail = openMetrics ? EOF.getBytes(StandardCharsets.US_ASCII) : new byte[0];
        HttpServerResponse response = ctx.response()
                .putHeader(HttpHeaders.CONTENT_TYPE,
                        openMetrics ? TextFormat.CONTENT_TYPE_OPENMETRICS_100 : TextFormat.CONTENT_TYPE_004)
                .putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(head.length + tasks.length + tail.length));
        response.write(Buffer.buffer(head));
        response.write(Buffer.buffer(Unpooled.wrappedBuffer(tasks))); // the cached text itself, never copied here
        response.end(Buffer.buffer(tail));
    }

    /** As Quarkus's Prometheus endpoint decides (no {@code Accept}: OpenMetrics). */
    static boolean openMetrics(String accept) {
        return accept == null || !(accept.contains("text/plain") || accept.contains("text/html"));
    }
}
