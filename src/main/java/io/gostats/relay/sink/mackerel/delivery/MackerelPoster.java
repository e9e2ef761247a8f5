package io.gostats.relay.sink.mackerel.delivery;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.gostats.relay.sink.mackerel.api.GraphDefinition;
import io.gostats.relay.sink.mackerel.api.MackerelClient;
import io.gostats.relay.sink.mackerel.api.MetricValue;
import io.gostats.relay.sink.mackerel.api.MetricsPost;
import io.gostats.relay.sink.mackerel.api.PostOutcome;

/**
 * Sends the queue to Mackerel, one request at a time, as mackerel-agent paces its posts: the current minute at this
 * host's offset inside the minute (SHA-1 of the host id, as the agent spreads its hosts), a backlog as fast as the
 * pacer allows, and the graph definitions at start and again every few hours. Driven by {@link #tick()} from one
 * thread; all time comes from the injected clock.
 */
public final class MackerelPoster {

    private static final Logger LOG = Logger.getLogger(MackerelPoster.class);

    /** The smallest body a 413 makes requests shrink to. */
    static final int MIN_BODY_BYTES = 1024;
    /** The longest {@code Retry-After} obeyed: the retry policy's longest backoff (a broken header parks nothing). */
    static final Duration MAX_RETRY_AFTER = RetryPolicy.DEFAULT.maxBackoff();

    /** What the last call to Mackerel gave, for health and the targets page. */
    public record Status(Instant at, String outcome, boolean authorized) {
    }

    private final MackerelClient client;
    private final DeliveryQueue queue;
    private final DeliveryPacer pacer;
    private final Supplier<Optional<String>> hostId;
    private volatile Consumer<String> onHostRejected = id -> {
    };
    private final List<GraphDefinition> graphs;
    private final Duration graphsEvery;
    private final Duration callTimeout;
    private final Clock clock;
    private final OutageLog outages = new OutageLog();
    private Instant graphsDue = Instant.MIN;
    /** How long a call is waited for: the client's timeout and a little more, or less at shutdown. */
    private volatile Duration callWait;
    private int bodyCap;
    /** A request answered 400, being narrowed down to the values Mackerel rejects; null when there is none. */
    private RejectionSearch search;
    private final CallLog calls = new CallLog();

    public MackerelPoster(MackerelClient client, DeliveryQueue queue, DeliveryPacer pacer,
            Supplier<Optional<String>> hostId, List<GraphDefinition> graphs, Duration graphsEvery, int maxBodyBytes,
            Duration callTimeout, Clock clock) {
        this.client = client;
        this.queue = queue;
        this.pacer = pacer;
        this.hostId = hostId;
        this.graphs = graphs;
        this.graphsEvery = graphsEvery;
        this.bodyCap = maxBodyBytes;
        this.callTimeout = callTimeout;
        this.callWait = callTimeout.plusSeconds(5);
        this.clock = clock;
    }

    public Status status() {
        return calls.status();
    }

    /** Told the host id that {@code /tsdb} answered 404 for (retired or unknown). */
    public void onHostRejected(Consumer<String> listener) {
        this.onHostRejected = listener;
    }

    /** Told the kind of every answer: ok, retry, unauthorized, rejected. */
    public void onOutcome(Consumer<String> listener) {
        calls.onOutcome(listener);
    }

    /** One step: graph definitions when due, then at most one metrics request. */
    public void tick() {
        tick(false);
    }

    /** At shutdown the host's offset in the minute is not waited for: what is queued goes now. */
    public void flushTick() {
        flushTick(callTimeout.plusSeconds(5));
    }

    /**
     * The same, each call given up after {@code within} (what is left of the shutdown budget) rather than the call
     * timeout, so that a stalled Mackerel cannot hold the flush past it.
     *
     * @throws io.smallrye.mutiny.TimeoutException when a call got no answer within it; its values stay queued
     */
    public void flushTick(Duration within) {
        callWait = within.compareTo(callTimeout.plusSeconds(5)) < 0 ? within : callTimeout.plusSeconds(5);
        try {
            tick(true);
        } finally {
            callWait = callTimeout.plusSeconds(5);
        }
    }

    private void tick(boolean flushing) {
        Optional<String> host = hostId.get();
        if (host.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        if (!graphsDue.isAfter(now)) {
            PostOutcome<Void> o = client.postGraphDefs(graphs).await().atMost(callWait);
            calls.record("graph definitions", o, now);
            graphsDue = now.plus(o.isOk() ? graphsEvery : Duration.ofMinutes(1));
        }
        if (!pacer.untilNextAllowed(flushing).isZero()) {
            return;
        }
        if (search != null) {
            searchStep(host.get(), now);
            return;
        }
        if (!flushing && queue.size() <= 1 && now.getEpochSecond() % 60 < offset(host.get())) {
            return;
        }
        Optional<Delivery> next = queue.nextRequest(bodyCap, host.get());
        if (next.isEmpty()) {
            return;
        }
        Delivery d = next.get();
        pacer.requestStarted(queue.minuteBatches(d));
        PostOutcome<Void> o = post(d, d.values(), host.get(), values -> values + " values", now);
        if (o.isOk()) {
            queue.acknowledge(d);
            outages.ok(now, d.values().size(), queue.size());
        } else if (o instanceof PostOutcome.Rejected<Void> r && r.status() == 400) {
            // kept outstanding while the search posts its parts: the queue hands out nothing else meanwhile
            search = new RejectionSearch(d, r.message());
        } else {
            failed(o, d, host.get(), now);
        }
    }

    /** One request of the search for the values of a 400; the queue hears of the request when it is over. */
    private void searchStep(String host, Instant now) {
        Optional<RejectionSearch.Piece> piece = search.next();
        if (piece.isPresent()) {
            pacer.requestStarted();
            RejectionSearch.Piece p = piece.get();
            PostOutcome<Void> o = post(search.delivery(), search.values(p), host,
                    values -> values + " values (part of a 400)", now);
            if (o.isOk()) {
                search.accepted(p);
            } else if (o instanceof PostOutcome.Rejected<Void> r && r.status() == 400) {
                search.rejected(p, r.message());
            } else {
                // the rest waits like any failed request; the search starts again when it is sent again
                Delivery d = search.delivery();
                search = null;
                failed(o, d, host, now);
                return;
            }
            piece = search.next();
        }
        if (piece.isEmpty()) {
            if (search.gaveUp()) {
                LOG.error(search.summary());
            } else {
                LOG.warn(search.summary());
            }
            queue.settled(search.delivery(), search.dropped());
            outages.ok(now, search.delivery().values().size() - search.dropped(), queue.size());
            search = null;
        }
    }

    /**
     * Posts {@code values} (of request {@code d}) as {@code host}'s and records the outcome. A call cut short (the
     * thread interrupted, or no answer within a shutdown's share) hands {@code d} back to the queue as it was.
     */
    private PostOutcome<Void> post(Delivery d, List<MetricValue> values, String host, IntFunction<String> what,
            Instant now) {
        List<MetricValue> body = values.stream().map(v -> new MetricValue(host, v.name(), v.time(), v.value()))
                .toList();
        MetricsPost post;
        try {
            post = client.postMetrics(body).await().atMost(callWait);
        } catch (RuntimeException cutShort) {
            queue.abandoned(d);
            search = null;
            throw cutShort;
        }
        calls.record(what.apply(body.size()), post.outcome(), now);
        return post.outcome();
    }

    private void failed(PostOutcome<Void> o, Delivery d, String host, Instant now) {
        DeliveryFailure failure = failure(o, d);
        Optional<Duration> retryAfter = o instanceof PostOutcome.Retry<Void> r
                ? r.retryAfter().map(w -> w.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : w)
                : Optional.empty();
        if (failure == DeliveryFailure.NO_HOST) {
            onHostRejected.accept(host);
        } else if (retryAfter.isPresent()) {
            pacer.requestFailed(retryAfter.get());
        } else if (failure != DeliveryFailure.TOO_LARGE) {
            pacer.requestFailed();
        }
        if (failure == DeliveryFailure.RETRY || failure == DeliveryFailure.CLIENT_ERROR) {
            outages.failed(now, o.toString(), queue.size(), queue.pendingPoints());
        }
        queue.failed(d, failure, retryAfter);
    }

    /**
     * What a failed request's values become. 404: the host is gone, not the values (they wait for a live host). 413:
     * the server's body limit; later requests are cut at half this one's size, remembered for the life of the
     * process. Another 4xx: retried like a 5xx, bounded, as mackerel-agent does. (A 400 is searched, above.)
     */
    private DeliveryFailure failure(PostOutcome<Void> o, Delivery d) {
        if (o instanceof PostOutcome.Unauthorized<Void>) {
            return DeliveryFailure.UNAUTHORIZED;
        }
        if (!(o instanceof PostOutcome.Rejected<Void> r)) {
            return DeliveryFailure.RETRY;
        }
        return switch (r.status()) {
            case 404 -> DeliveryFailure.NO_HOST;
            case 413 -> shrink(d) ? DeliveryFailure.TOO_LARGE : DeliveryFailure.CLIENT_ERROR;
            default -> DeliveryFailure.CLIENT_ERROR;
        };
    }

    /** False when the request was one value already: nothing smaller can be sent. */
    private boolean shrink(Delivery d) {
        if (d.values().size() < 2) {
            return false;
        }
        int before = bodyCap;
        bodyCap = Math.max(MIN_BODY_BYTES, Math.min(bodyCap, d.bodyBytes()) / 2);
        if (bodyCap != before) {
            LOG.warnf("Mackerel refused a body of %d bytes as too large (413): requests are now cut at %d bytes",
                    d.bodyBytes(), bodyCap);
        }
        return true;
    }

    /** mackerel-agent's per-host delay: the last byte of SHA-1(host id), mod 60, in seconds. */
    static int offset(String hostId) {
        try {
            byte[] sha = MessageDigest.getInstance("SHA-1").digest(hostId.getBytes(StandardCharsets.UTF_8));
            return (sha[19] & 0xff) % 60;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
