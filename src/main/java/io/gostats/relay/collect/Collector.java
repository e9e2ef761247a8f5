package io.gostats.relay.collect;

import java.io.IOException;
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
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
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
 *
 * <p>
 * Connections are kept from one cycle to the next at every interval ({@code relay.collect.keep-alive}): a new
 * connection per target and cycle cost about twice the CPU of a kept one at 1,000 targets (BENCHMARKS.md).
 */
@ApplicationScoped
public class Collector {

    private static final Logger LOG = Logger.getLogger(Collector.class);
    /** Vert.x's own default idle timeout, kept as the floor of short intervals (which kept connections before). */
    static final Duration MIN_IDLE_TIMEOUT = Duration.ofSeconds(60);

    /** Keeps each target's connections between cycles; absent with {@code relay.collect.keep-alive=false}. */
    private final HttpClient kept;
    /** A new connection per request, closed after the reply: every fetch without keep-alive, and every retry. */
    private final HttpClient fresh;
    private final Counter retries;
    private final MeterRegistry meters;
    private final Duration timeout;
    private final int concurrency;
    private final long maxBodyBytes;
    private final Clock clock = Clock.systemUTC();
    /** Set by the cycle thread only (one cycle at a time). */
    private volatile boolean preloaded;

    public Collector(RelayConfig config, Vertx vertx, MeterRegistry meters) {
        RelayConfig.Collect c = config.collect();
        ConfigProperty.atLeast("relay.collect.concurrency", c.concurrency(), 1);
        ConfigProperty.positive("relay.collect.timeout", c.timeout());
        ConfigProperty.atLeast("relay.collect.max-body-size", c.maxBodySize().asLongValue(), 1);
        this.timeout = c.timeout();
        this.concurrency = c.concurrency();
        this.maxBodyBytes = c.maxBodySize().asLongValue();
        // connections are opened on demand: one per target, more only for several paths on one port
        PoolOptions pool = new PoolOptions().setHttp1MaxSize(concurrency);
        this.kept = c.keepAlive()
                ? vertx.createHttpClient(options("gostats-relay-collect").setKeepAlive(true)
                        .setKeepAliveTimeout((int) idleTimeout(config.interval()).toSeconds()), pool)
                : null;
        this.fresh = vertx.createHttpClient(options("gostats-relay-collect-fresh").setKeepAlive(false), pool);
        this.meters = meters;
        this.retries = Counter.builder("relay.fetch.retries")
                .description("Fetches sent again on a new connection: the kept one was closed before any reply.")
                .register(meters);
        Infrastructure.setDroppedExceptionHandler(Collector::onDropped);
    }

    private HttpClientOptions options(String name) {
        return new HttpClientOptions().setName(name)
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                .setTryUseCompression(false);
    }

    /**
     * How long a kept connection may stay idle before the relay closes it: twice the interval, at least
     * {@link #MIN_IDLE_TIMEOUT}. A target's connection is idle from its fetch in one cycle to its fetch in the next:
     * one interval, plus how much later that fetch comes in its cycle (the scheduler's second, discovery, its place in
     * the fan-out, up to the collect timeout), plus a whole interval when a cycle overran and the next boundary was
     * skipped. Interval + timeout would not cover the skipped boundary; twice the interval covers it all, and closing
     * at the interval itself (Vert.x's 60 s against the default 60 s cycle) would race every cycle.
     */
    static Duration idleTimeout(Duration interval) {
        Duration twice = interval.multipliedBy(2);
        return twice.compareTo(MIN_IDLE_TIMEOUT) < 0 ? MIN_IDLE_TIMEOUT : twice;
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

    /**
     * The body of one GET. On a kept connection that the target closed while it was idle, the GET is sent once more,
     * on a new connection, as Go's net/http Transport does ({@code shouldRetryRequest}): only a connection that has
     * served a reply before, only when it failed before any reply came back (the target closed it or reset it: never
     * after part of a reply, never at the deadline, never a new connection's failure), and only a GET, which sends no
     * body. The target never answered the first GET, so a handler that computes its rates between the calls it serves
     * (golang-stats-api-handler) sees one call per cycle still.
     */
    private Uni<Reply> body(Target target) {
        if (kept == null) {
            return exchange(fresh, target);
        }
        return exchange(kept, target).onFailure(ClosedWhileIdle.class).recoverWithUni(closed -> {
            retries.increment();
            LOG.debugf("%s: the kept connection was closed before any reply (%s); sending the GET again on a new one",
                    target.id(), describe(closed.getCause()));
            return exchange(fresh, target);
        });
    }

    /** The first GET on a kept connection that the target closed while it was idle: nothing came back. */
    private static final class ClosedWhileIdle extends RuntimeException {
        ClosedWhileIdle(Throwable cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    /** One GET through {@code client}, cut at the cap; a fetch cancelled before its end (its deadline) resets it. */
    private Uni<Reply> exchange(HttpClient client, Target target) {
        AtomicReference<HttpClientRequest> request = new AtomicReference<>();
        AtomicBoolean cancelled = new AtomicBoolean();
        return Uni.createFrom().<Reply> emitter(em -> client.request(new RequestOptions().setMethod(HttpMethod.GET)
                .setHost(target.host()).setPort(target.port()).setURI(target.path())
                .putHeader(HttpHeaders.USER_AGENT, "gostats-relay")
                .putHeader(HttpHeaders.ACCEPT, Formats.ACCEPT))
                .onFailure(em::fail)
                .onSuccess(r -> {
                    request.set(r);
                    if (cancelled.get()) {
                        abandon(r);
                        return;
                    }
                    // send() fails before the reply's head arrived; a failure after it reaches read()'s handler
                    r.send().onFailure(e -> em.fail(reused(r) && closedBeforeReply(e) ? new ClosedWhileIdle(e) : e))
                            .onSuccess(response -> read(response, em));
                }))
                .onCancellation().invoke(() -> {
                    cancelled.set(true);
                    HttpClientRequest r = request.get();
                    if (r != null) {
                        abandon(r);
                    }
                });
    }

    /**
     * Ends a request cut at its deadline, and its connection with it. Vert.x closes the connection of a request reset
     * after it was sent, but puts one reset before it was sent back in its pool, where the next request on it got no
     * reply (seen with Vert.x 4.5 on a cold start). Every connection the pool hands out again has thus ended each of
     * its exchanges with a whole reply, which {@link #reused} relies on.
     */
    private static void abandon(HttpClientRequest r) {
        r.reset();
        r.connection().close();
    }

    /**
     * Whether the request went out on a connection that had served a reply before. Vert.x numbers the requests of an
     * HTTP/1.1 connection from 1 ({@code streamId}) and hands a pooled connection out again only once its previous
     * exchange ended; every exchange that ends without a whole reply closes its connection (a failure, a refused reply,
     * {@link #abandon}). Should a later Vert.x report no number for HTTP/1.1 (-1), nothing is retried.
     */
    private static boolean reused(HttpClientRequest r) {
        return r.streamId() > 1;
    }

    /**
     * The connection was closed (end of stream) or reset before the reply's head was read. A reply cut inside its head
     * fails otherwise (Netty's decoder reports a premature closure, not an I/O error), and is not sent again.
     * Vert.x does not say whether a few bytes of a status line came before the close; a head sent in one TCP segment,
     * as a Go server's is, arrives whole or not at all.
     */
    private static boolean closedBeforeReply(Throwable e) {
        return (e instanceof HttpClosedException || e instanceof IOException) && !Causes.isTimeout(e);
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
        if (kept != null) {
            kept.close();
        }
        fresh.close();
        meters.remove(retries);
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
