package io.gostats.relay.discovery;

import java.util.Optional;
import java.util.function.Function;

import io.gostats.relay.model.SourceFormat;

/** The configured rules of {@link ContainerTargets}, before a Docker client exists to inspect containers with. */
public record TargetMapping(ContainerSelector selector, int defaultPort, String defaultPath, String hostAddress,
        Optional<SourceFormat> defaultFormat) {

    public TargetMapping(ContainerSelector selector, int defaultPort, String defaultPath, String hostAddress) {
        this(selector, defaultPort, defaultPath, hostAddress, Optional.empty());
    }

    ContainerTargets with(Function<String, Optional<String>> inspectNetworkMode) {
        return new ContainerTargets(selector, defaultPort, defaultPath, hostAddress, inspectNetworkMode,
                defaultFormat);
    }
}
