package io.gostats.relay.e2e;

/**
 * {@link RelayImageIT} on the Docker Engine, as an ECS container instance runs the relay's task: Docker's builder, its
 * socket (root:docker 0660, mounted read-only), its userland proxy in front of the tasks' host ports.
 */
class RelayImageOnDockerIT extends RelayImageIT {

    @Override
    Engine engine() {
        return Engine.DOCKER;
    }
}
