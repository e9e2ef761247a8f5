package io.gostats.relay.sink.mackerel.delivery;

import java.time.Instant;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import io.gostats.relay.sink.mackerel.api.PostOutcome;

/**
 * What the sender's calls to Mackerel gave: the last one for health and the targets page, the kind of each for the
 * meters, and the log lines, said once where it matters (a refused key) and at DEBUG where the delivery logs more
 * itself ({@link OutageLog}, {@link RejectionSearch}). Never the API key: outcomes never hold it.
 */
final class CallLog {

    private static final Logger LOG = Logger.getLogger(MackerelPoster.class);

    private volatile MackerelPoster.Status status = new MackerelPoster.Status(Instant.EPOCH, "nothing sent yet", true);
    private volatile Consumer<String> onOutcome = kind -> {
    };

    MackerelPoster.Status status() {
        return status;
    }

    /** Told the kind of every answer: ok, retry, unauthorized, rejected. */
    void onOutcome(Consumer<String> listener) {
        this.onOutcome = listener;
    }

    void record(String what, PostOutcome<?> o, Instant at) {
        onOutcome.accept(o instanceof PostOutcome.Ok<?> ? "ok" : o instanceof PostOutcome.Retry<?> ? "retry"
                : o instanceof PostOutcome.Unauthorized<?> ? "unauthorized" : "rejected");
        boolean wasAuthorized = status.authorized();
        String text = o.isOk() ? "ok" : o.toString();
        status = new MackerelPoster.Status(at, what + ": " + text, !(o instanceof PostOutcome.Unauthorized<?>));
        if (o instanceof PostOutcome.Unauthorized<?> u && wasAuthorized) {
            LOG.errorf("Mackerel refused the API key (HTTP %d: %s): check relay.mackerel.api-key (or MACKEREL_APIKEY)"
                    + " and that it has Write permission; points stay queued and are retried", u.status(), u.message());
        } else if (o instanceof PostOutcome.Rejected<?> r && r.status() == 404) {
            LOG.warnf("Mackerel answered 404 to %s (%s): the host is retired or unknown; kept", what, r.message());
        } else if (o instanceof PostOutcome.Rejected<?> r && r.status() == 400) {
            LOG.debugf("Mackerel rejected %s (HTTP 400: %s); searching for the rejected values", what, r.message());
        } else if (o instanceof PostOutcome.Rejected<?> r) {
            LOG.debugf("Mackerel answered HTTP %d to %s (%s); kept", r.status(), what, r.message());
        } else if (!o.isOk()) {
            LOG.debugf("Mackerel post of %s failed: %s; retrying with backoff", what, o);
        }
    }
}
