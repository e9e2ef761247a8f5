package io.gostats.relay.sink.mackerel.annotations;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

import org.jboss.logging.Logger;

import io.gostats.relay.model.Snapshot;
import io.gostats.relay.sink.mackerel.api.GraphAnnotation;
import io.gostats.relay.sink.mackerel.api.MackerelClient;
import io.gostats.relay.sink.mackerel.api.PostOutcome;
import io.gostats.relay.util.DaemonThreads;

/**
 * Draws each deploy on the service's graphs once, whichever relays of the service see it: every relay that sees a
 * family's new revision ({@link RevisionHistory}) waits a random time up to {@code maxWait}, looks for an annotation
 * of that family and revision within {@link #WINDOW} of its first sighting, and posts one only when there is none.
 * Two relays whose look-ups both come before either post both post: the random wait makes that rare (README has
 * the figures), and a duplicate only draws the same line twice.
 * <p>
 * The waits and the calls run on a thread of their own ({@code mackerel-annotations}), never on the sink's lane
 * nor on the sender: an annotation never delays a snapshot or a post of metrics. A failed call is logged once per
 * change (failing, then working again) and the deploy is not annotated by this relay: never fatal.
 */
public final class DeployAnnotator implements AutoCloseable {

    /** How far from the first sighting another relay's annotation of the same deploy is looked for. */
    public static final Duration WINDOW = Duration.ofMinutes(10);

    private static final Logger LOG = Logger.getLogger(DeployAnnotator.class);

    private final MackerelClient client;
    private final String service;
    private final List<String> roles;
    private final Duration maxWait;
    private final Duration callTimeout;
    private final RevisionHistory history;
    private final RandomGenerator random;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("mackerel-annotations"));
    private final AtomicInteger posted = new AtomicInteger();
    private final AtomicInteger found = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    // on the annotations thread only
    private boolean failing;

    public DeployAnnotator(MackerelClient client, String service, List<String> roles, Duration maxWait,
            Duration callTimeout, RevisionHistory history, RandomGenerator random) {
        this.client = client;
        this.service = service;
        this.roles = List.copyOf(roles);
        this.maxWait = maxWait;
        this.callTimeout = callTimeout;
        this.history = history;
        this.random = random;
    }

    /** On the sink's lane: records the revisions and schedules the deploys' annotations; returns at once. */
    public void accept(Snapshot snapshot) {
        for (Deploy d : history.sighted(snapshot)) {
            long waitMs = maxWait.isZero() ? 0 : random.nextLong(maxWait.toMillis() + 1);
            LOG.infof("Mackerel: %s revision %d → %d seen on this host; annotating it in %d ms unless another relay "
                    + "has", d.family(), d.fromRevision(), d.toRevision(), waitMs);
            try {
                thread.schedule(() -> {
                    try {
                        annotate(d);
                    } catch (RuntimeException e) {
                        failed(d, "a call", new PostOutcome.Retry<>(PostOutcome.Retry.Cause.TIMEOUT, e.toString()));
                    }
                }, waitMs, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopping) {
                return;
            }
        }
    }

    /** Looks for this deploy's annotation within {@link #WINDOW} of its first sighting; posts it when none is there. */
    void annotate(Deploy d) {
        long at = d.at().getEpochSecond();
        PostOutcome<List<GraphAnnotation>> existing = client.findGraphAnnotations(service,
                at - WINDOW.toSeconds(), at + WINDOW.toSeconds()).await().atMost(callTimeout.plusSeconds(1));
        if (!(existing instanceof PostOutcome.Ok<List<GraphAnnotation>> ok)) {
            failed(d, "looking for it", existing);
            return;
        }
        if (ok.value().stream().anyMatch(a -> d.title().equals(a.title()))) {
            working();
            LOG.debugf("Mackerel: %s is annotated already (another relay)", d.title());
            found.incrementAndGet();
            return;
        }
        PostOutcome<GraphAnnotation> created = client.createGraphAnnotation(d.annotation(service, roles))
                .await().atMost(callTimeout.plusSeconds(1));
        if (!created.isOk()) {
            failed(d, "posting it", created);
            return;
        }
        working();
        LOG.infof("Mackerel: annotated %s on the graphs of service %s", d.title(), service);
        posted.incrementAndGet();
    }

    /** Counted after the log line, so that a reader of the counts sees the line too. */
    private void failed(Deploy d, String doing, PostOutcome<?> outcome) {
        if (failing) {
            LOG.debugf("Mackerel: %s not annotated (%s): %s", d.title(), doing, outcome);
            failed.incrementAndGet();
            return;
        }
        failing = true;
        String hint = outcome instanceof PostOutcome.Rejected<?> r && r.status() == 404
                ? " (relay.mackerel.annotations.service / .roles: Mackerel has no such service or role)" : "";
        LOG.warnf("Mackerel: %s not annotated, %s failed: %s%s; further failures are not logged until a deploy is "
                + "annotated again", d.title(), doing, outcome, hint);
        failed.incrementAndGet();
    }

    private void working() {
        if (failing) {
            LOG.infof("Mackerel: deploy annotations work again");
        }
        failing = false;
    }

    /** {@code posted 2, found 5, failed 0}: what this relay did with the deploys it saw. */
    public String summary() {
        return "posted " + posted.get() + ", found " + found.get() + ", failed " + failed.get();
    }

    public int posted() {
        return posted.get();
    }

    public int found() {
        return found.get();
    }

    public int failed() {
        return failed.get();
    }

    /** Drops the annotations still waiting: the other relays of the service may post them. */
    @Override
    public void close() {
        thread.shutdownNow();
    }
}
