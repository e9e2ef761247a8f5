package io.gostats.relay.discovery;

import java.util.List;
import io.gostats.relay.model.Target;
import io.gostats.relay.model.SourceStatus;

/** Where targets come from. Called once per cycle, on a worker thread: it may block. */
public interface TargetSource {

    List<Target> discover();

    /** The targets known right now, without asking anyone (Docker's event stream updates them between cycles). */
    List<Target> known();

    SourceStatus status();
}
