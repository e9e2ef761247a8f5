package io.gostats.relay.instance;

import java.util.Optional;

/** What the relay knows of the EC2 instance it runs on: not yet, the instance id, or that it cannot know. */
public sealed interface InstanceId {

    /** The lookup has not answered yet (it takes at most a few seconds). */
    record Pending() implements InstanceId {
    }

    /** The EC2 instance id, {@code i-0123456789abcdef0}. */
    record Known(String id) implements InstanceId {
    }

    /** Not on EC2, the metadata service unreachable or refused, or the lookup turned off: {@code reason} says which. */
    record Unavailable(String reason) implements InstanceId {
    }

    /** The instance id when known. */
    default Optional<String> instanceId() {
        return this instanceof Known k ? Optional.of(k.id()) : Optional.empty();
    }
}
