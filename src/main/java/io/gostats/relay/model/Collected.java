package io.gostats.relay.model;

import java.util.List;
import io.gostats.relay.model.container.ContainerRead;

/** What the collect stage gathered in one cycle: one fetch result per target, one stats read per watched container. */
public record Collected(List<FetchResult> fetches, List<ContainerRead> containers) {

    public Collected {
        fetches = List.copyOf(fetches);
        containers = List.copyOf(containers);
    }
}
