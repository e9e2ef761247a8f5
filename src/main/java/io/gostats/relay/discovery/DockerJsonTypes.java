package io.gostats.relay.discovery;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Event;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * For a native build: docker-java reads the Docker API's JSON into these models by reflection (there is no Quarkus
 * extension for docker-java); {@code registerFullHierarchy} takes in their nested types (ports, networks, host
 * config, event actor).
 */
@RegisterForReflection(registerFullHierarchy = true, targets = {
        Container.class, InspectContainerResponse.class, Event.class })
final class DockerJsonTypes {

    private DockerJsonTypes() {
    }
}
