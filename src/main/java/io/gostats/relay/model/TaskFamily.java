package io.gostats.relay.model;

/**
 * The family a target's slot (and Mackerel key) belongs to: the ECS task family, else the {@code gostats.group}
 * label, else the container name, else {@code unknown} (a static target has none of these).
 */
public final class TaskFamily {

    public static final String UNKNOWN = "unknown";

    private TaskFamily() {
    }

    public static String of(TaskIdentity identity) {
        for (String candidate : new String[] { identity.family(), identity.group(), identity.containerName() }) {
            if (!candidate.isEmpty()) {
                return candidate;
            }
        }
        return UNKNOWN;
    }
}
