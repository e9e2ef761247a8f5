package io.gostats.relay.discovery;

import java.time.Clock;

import org.jboss.logging.Logger;
import io.gostats.relay.model.SourceStatus;
import io.gostats.relay.util.Causes;

/** Up or down, with the reason; logs only when that changes, never every cycle. */
final class SourceHealth {

    private static final Logger LOG = Logger.getLogger(SourceHealth.class);

    private final String source;
    private final String hint;
    private final Clock clock;
    private volatile SourceStatus status;

    SourceHealth(String source, String hint, Clock clock) {
        this.source = source;
        this.hint = hint;
        this.clock = clock;
        this.status = new SourceStatus(source, false, clock.instant(), "not contacted yet");
    }

    SourceStatus status() {
        return status;
    }

    void up() {
        if (!status.up()) {
            LOG.infof("%s: reachable again, discovery resumed", source);
            status = new SourceStatus(source, true, clock.instant(), "");
        }
    }

    void down(Throwable cause) {
        String why = describe(cause);
        if (status.up() || !status.error().equals(why)) {
            LOG.warnf("%s: %s; keeping the last known targets and retrying every cycle. %s", source, why, hint);
            status = new SourceStatus(source, false, clock.instant(), why);
        }
    }

    /** The innermost cause says what is wrong (no such socket, permission denied, an API error). */
    static String describe(Throwable t) {
        Throwable root = Causes.root(t);
        String msg = root.getMessage() == null ? "" : root.getMessage().strip();
        String name = root.getClass().getSimpleName();
        if (root != t && t.getMessage() != null && !t.getMessage().contains(msg)) {
            msg = t.getMessage().strip() + ": " + msg;
        }
        return msg.isEmpty() ? name : name + ": " + msg;
    }
}
