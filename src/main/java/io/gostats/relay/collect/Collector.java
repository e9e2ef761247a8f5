package io.gostats.relay.collect;

import java.net.ConnectException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.client.api.QuarkusRestClientProperties;

import io.gostats.relay.RestClients;
import io.gostats.relay.RelayConfig;
import io.gostats.relay.discovery.Target;
import io.netty.channel.ConnectTimeoutException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.http.HttpClosedException;

/**
 * Fetches /stats of every target once, all at once: at most {@code relay.collect.concurrency} in flight, each bounded
 * by an overall deadline and a body-size cap. Non-blocking; a failing target becomes a {@link FetchResult.Failure}
 * and never delays or fails the others.
 */
@ApplicationScoped
public class Collector {

    private static final Logger LOG = Logger.getLogger(Collector.class);
    /** Connections are kept between cycles only when cycles come this often. */
    static final Duration KEEP_ALIVE_BELOW = Duration.ofSeconds(15);

    private final StatsClient client;
    private final Duration timeout;
    private final int concurrency;
    private final long maxBodyBytes;
    private final Clock clock = Clock.systemUTC();

    public Collector(RelayConfig config) {
        RelayConfig.Collect c = config.collect();
        if (c.concurrency() < 1) {
            throw new IllegalArgumentException("relay.collect.concurrency: must be at least 1, was " + c.concurrency());
        }
        if (c.timeout().isNegative() || c.timeout().isZero()) {
            throw new IllegalArgumentException("relay.collect.timeout: must be positive, was " + c.timeout());
        }
        if (c.maxBodySize().asLongValue() < 1) {
            throw new IllegalArgumentException("relay.collect.max-body-size: must be positive");
        }
        this.timeout = c.timeout();
        this.concurrency = c.concurrency();
        this.maxBodyBytes = c.maxBodySize().asLongValue();
        // the URL is given per call; the client's timeouts are a backstop behind the deadline of each fetch
        this.client = RestClients.builder(URI.create("http://127.0.0.1"), timeout)
                // a connection idle for a whole cycle may be closed by the target just as it is reused, which
                // would fail a good fetch; with cycles this far apart a fresh connection each time costs nothing
                .property(QuarkusRestClientProperties.KEEP_ALIVE_ENABLED, config.interval().compareTo(KEEP_ALIVE_BELOW) < 0)
                .register(new ResponseGate(maxBodyBytes))
                .build(StatsClient.class);
        Infrastructure.setDroppedExceptionHandler(Collector::onDropped);
    }

    /**
     * A fetch cut at its deadline or cap is cancelled, and the REST client then still reports the connection it
     * closed to nobody: that is expected here, and the failure itself is already reported as the fetch's result.
     */
    private static void onDropped(Throwable t) {
        if (t instanceof HttpClosedException || classify(t) != FailureReason.CONNECTION) {
            LOG.debugf("after a cancelled fetch: %s", t);
        } else {
            LOG.warnf(t, "unexpected error after a fetch ended");
        }
    }

    /** One fetch per target; the list comes back in completion order. */
    public Uni<List<FetchResult>> collect(List<Target> targets) {
        return Multi.createFrom().iterable(targets)
                .onItem().transformToUni(this::fetch).merge(concurrency)
                .collect().asList();
    }

    Uni<FetchResult> fetch(Target target) {
        return Uni.createFrom().deferred(() -> {
            Instant at = clock.instant();
            long start = System.nanoTime();
            BodyBuffer body = new BodyBuffer(maxBodyBytes);
            return client.stats(target.url())
                    .onItem().invoke(body::append)
                    .onItem().ignoreAsUni()
                    .ifNoItem().after(timeout).failWith(() -> new FetchException(FailureReason.TIMEOUT,
                            "no complete reply within " + timeout.toMillis() + " ms"))
                    .map(done -> StatsParser.parse(body.toByteArray()))
                    .<FetchResult> map(stats -> new FetchResult.Sample(target, stats, at, since(start)))
                    .onFailure().recoverWithItem(e -> new FetchResult.Failure(target, classify(e), describe(e), at,
                            since(start)));
        });
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    static FailureReason classify(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof FetchException f) {
                return f.reason();
            }
            if (t instanceof ConnectTimeoutException || t instanceof TimeoutException
                    || t.getClass().getSimpleName().contains("Timeout")) {
                return FailureReason.TIMEOUT;
            }
            if (t instanceof ConnectException) {
                return FailureReason.REFUSED;
            }
        }
        return FailureReason.CONNECTION;
    }

    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root && !(root instanceof FetchException)) {
            root = root.getCause();
        }
        String msg = root.getMessage();
        return msg == null || msg.isBlank() ? root.getClass().getSimpleName() : msg;
    }
}
