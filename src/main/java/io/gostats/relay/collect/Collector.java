package io.gostats.relay.collect;

import java.net.ConnectException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.gostats.relay.config.ConfigProperty;
import io.gostats.relay.config.RelayConfig;
import io.gostats.relay.collect.format.Formats;
import io.gostats.relay.model.Target;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.gostats.relay.model.FetchResult;
import io.gostats.relay.model.FailureReason;
import io.gostats.relay.util.Causes;

/**
 * Fetches every target once, all at once: at most {@code relay.collect.concurrency} in flight, each bounded
 * by an overall deadline and a body-size cap. Non-blocking; a failing target becomes a {@link FetchResult.Failure}
 * and never delays or fails the others.
 *
 * <p>
 * Fetches go through Vert.x's HTTP client (the one under the REST client) rather than a REST client: a REST client
 * streaming a body as {@code Multi} closes the connection after every reply, so that no connection was ever kept
 * alive, and it builds a web target and handler chain per call. Here each target has a small pool of its own,
 * status and Content-Length are checked before the body is read, and the body is cut at the cap as it streams in.
 */
@ApplicationScoped
public class Collector {

    private static final Logger LOG = Logger.getLogger(Collector.class);
    /** Connections are kept between cycles only when cycles come this often. */
    static final Duration KEEP_ALIVE_BELOW = Duration.ofSeconds(15);

    private final HttpClient http;
    private final Duration timeout;
    private final int concurrency;
    private final long maxBodyBytes;
    private final Clock clock = Clock.systemUTC();
    /** Set by the cycle thread only (one cycle at a time). */
    private volatile boolean preloaded;

    public Collector(RelayConfig config, Vertx vertx) {
        RelayConfig.Collect c = config.collect();
        ConfigProperty.atLeast("relay.collect.concurrency", c.concurrency(), 1);
        ConfigProperty.positive("relay.collect.timeout", c.timeout());
        ConfigProperty.atLeast("relay.collect.max-body-size", c.maxBodySize().asLongValue(), 1);
        this.timeout = c.timeout();
        this.concurrency = c.concurrency();
        this.maxBodyBytes = c.maxBodySize().asLongValue();
        this.http = vertx.createHttpClient(new HttpClientOptions()
                .setName("gostats-relay-collect")
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                // a connection idle for a whole cycle may be closed by the target just as it is reused, which
                // would fail a good fetch; with cycles this far apart a fresh connection each time costs little
                .setKeepAlive(config.interval().compareTo(KEEP_ALIVE_BELOW) < 0)
                .setTryUseCompression(false),
                // connections are opened on demand: one per target and cycle, more only for several paths on one port
                new PoolOptions().setHttp1MaxSize(concurrency));
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

    /**
     * One fetch per target; the list comes back in completion order. The first call with targets loads the readers
     * on the calling thread (the cycle's, never the event loop): not at start, where a relay without targets would
     * keep Jackson's databind and the parsers loaded for nothing (~10 MiB of RSS).
     */
    public Uni<List<FetchResult>> collect(List<Target> targets) {
        if (!preloaded && !targets.isEmpty()) {
            Formats.preload();
            preloaded = true;
        }
        return Multi.createFrom().iterable(targets)
                .onItem().transformToUni(this::fetch).merge(concurrency)
                .collect().asList();
    }

    Uni<FetchResult> fetch(Target target) {
        return Uni.createFrom().deferred(() -> {
            Instant at = clock.instant();
            long start = System.nanoTime();
            return body(target)
                    .ifNoItem().after(timeout).failWith(() -> new FetchException(FailureReason.TIMEOUT,
                            "no complete reply within " + timeout.toMillis() + " ms"))
                    // one step, not two: each step of a Uni costs a context capture per fetch (context propagation)
                    .<FetchResult> map(reply -> new FetchResult.Sample(target, Formats.read(reply.body(),
                            reply.contentType(), target.format(), target.expvar()), at, since(start)))
                    .onFailure().recoverWithItem(e -> new FetchResult.Failure(target, classify(e), describe(e), at,
                            since(start)));
        });
    }

    /** A reply's body and its Content-Type (null when it has none): the format is read off both. */
    private record Reply(byte[] body, String contentType) {
    }

    /** The body of one GET, cut at the cap; a fetch cancelled before its end (its deadline) closes its connection. */
    private Uni<Reply> body(Target target) {
        AtomicReference<HttpClientRequest> request = new AtomicReference<>();
        AtomicBoolean cancelled = new AtomicBoolean();
        return Uni.createFrom().<Reply> emitter(em -> http.request(new RequestOptions().setMethod(HttpMethod.GET)
                .setHost(target.host()).setPort(target.port()).setURI(target.path())
                .putHeader(HttpHeaders.USER_AGENT, "gostats-relay")
                .putHeader(HttpHeaders.ACCEPT, Formats.ACCEPT))
                .onFailure(em::fail)
                .onSuccess(r -> {
                    request.set(r);
                    if (cancelled.get()) {
                        r.reset();
                        return;
                    }
                    r.send().onFailure(em::fail).onSuccess(response -> read(response, em));
                }))
                .onCancellation().invoke(() -> {
                    cancelled.set(true);
                    HttpClientRequest r = request.get();
                    if (r != null) {
                        r.reset();
                    }
                });
    }

    /** Checks status and Content-Length before any of the body is read; a reply refused here closes its connection. */
    private void read(HttpClientResponse response, UniEmitter<? super Reply> em) {
        if (response.statusCode() != 200) {
            refuse(response, em, new FetchException(FailureReason.HTTP_STATUS, "HTTP " + response.statusCode()));
            return;
        }
        String length = response.getHeader(HttpHeaders.CONTENT_LENGTH);
        long announced = length == null ? -1 : parseLength(length);
        if (announced > maxBodyBytes) {
            refuse(response, em, new FetchException(FailureReason.TOO_LARGE,
                    "Content-Length " + length + " over the cap of " + maxBodyBytes + " bytes"));
            return;
        }
        BodyBuffer body = new BodyBuffer(maxBodyBytes, announced);
        response.exceptionHandler(em::fail);
        response.handler(chunk -> {
            try {
                body.append(chunk);
            } catch (FetchException e) {
                refuse(response, em, e);
            }
        });
        String contentType = response.getHeader(HttpHeaders.CONTENT_TYPE);
        response.endHandler(done -> em.complete(new Reply(body.toByteArray(), contentType)));
    }

    private static long parseLength(String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return -1; // the body's own length then decides
        }
    }

    private static void refuse(HttpClientResponse response, UniEmitter<?> em, FetchException e) {
        response.request().connection().close();
        em.fail(e);
    }

    @PreDestroy
    void close() {
        http.close();
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    static FailureReason classify(Throwable e) {
        // the first of the chain that says what happened wins: our own FetchException, a timeout, a refusal
        Throwable known = Causes.find(e, t -> t instanceof FetchException || Causes.isTimeoutItself(t)
                || t instanceof ConnectException);
        if (known instanceof FetchException f) {
            return f.reason();
        }
        if (known instanceof ConnectException) {
            return FailureReason.REFUSED;
        }
        return known == null ? FailureReason.CONNECTION : FailureReason.TIMEOUT;
    }

    static String describe(Throwable e) {
        Throwable root = Causes.root(e, FetchException.class::isInstance);
        String msg = root.getMessage();
        return msg == null || msg.isBlank() ? root.getClass().getSimpleName() : msg;
    }
}
