package io.gostats.relay.model;

import java.time.Duration;
import java.util.List;
import io.gostats.relay.model.container.ContainerRead;

/**
 * What the collect stage gathered in one cycle: one fetch result per target, one stats read per watched container.
 * {@code fetchesTook}: from the stage's start to its last fetch; the container reads run beside the fetches under
 * the same deadline and are not counted (the cycle time the relay reports is discovery plus the fetches).
 */
public record Collected(List<FetchResult> fetches, List<ContainerRead> containers, Duration fetchesTook) {

    public Collected {
        fetches = List.copyOf(fetches);
        containers = List.copyOf(containers);
    }
}
