package io.gostats.relay.sink.mackerel.delivery;

import java.time.Duration;
import java.time.Instant;

import org.jboss.logging.Logger;

/**
 * Says once when posting to Mackerel stops working (with the cause and what is queued) and once when it works again
 * (how long it was down, what is left to drain), as discovery does for Docker: never once per retry. mackerel-agent
 * logs its failed posts too; an operator reading the log should not see a healthy relay while nothing arrives.
 */
final class OutageLog {

    private static final Logger LOG = Logger.getLogger(MackerelPoster.class);

    private Instant downSince;
    private int failedRequests;

    void failed(Instant at, String cause, int queuedBatches, long queuedValues) {
        failedRequests++;
        if (downSince == null) {
            downSince = at;
            LOG.warnf("Mackerel posts fail since %s: %s; %d batches (%d values) kept on disk, retried with backoff",
                    at, cause, queuedBatches, queuedValues);
        }
    }

    void ok(Instant at, int sentValues, int queuedBatches) {
        if (downSince != null) {
            LOG.infof("Mackerel posts work again after %s down (%d failed requests): %d values sent, %d batches left"
                    + " to drain", Duration.between(downSince, at), failedRequests, sentValues, queuedBatches);
            downSince = null;
            failedRequests = 0;
        }
    }
}
