package io.gostats.relay.discovery;

import java.util.Optional;
import java.util.function.Function;

/** The configured rules of {@link ContainerTargets}, before a Docker client exists to inspect containers with. */
public record TargetMapping(ContainerSelector selector, int defaultPort, String defaultPath, String hostAddress) {

    ContainerTargets with(Function<String, Optional<String>> inspectNetworkMode) {
        return new ContainerTargets(selector, defaultPort, defaultPath, hostAddress, inspectNetworkMode);
    }
}
