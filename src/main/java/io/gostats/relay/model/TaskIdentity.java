package io.gostats.relay.model;

import java.util.Map;

/**
 * Who a target belongs to: the container and, when the ECS agent started it, the task. {@code group} is the
 * container's {@code gostats.group} label, a family name for containers that ECS did not start. Unknown parts are "".
 */
public record TaskIdentity(String containerId, String containerName, String cluster, String taskArn, String taskId,
        String family, String revision, String ecsContainer, String group) {

    public static final String GROUP_LABEL = "gostats.group";

    static final String CLUSTER = "com.amazonaws.ecs.cluster";
    static final String CONTAINER_NAME = "com.amazonaws.ecs.container-name";
    static final String TASK_ARN = "com.amazonaws.ecs.task-arn";
    static final String FAMILY = "com.amazonaws.ecs.task-definition-family";
    static final String REVISION = "com.amazonaws.ecs.task-definition-version";

    public static final TaskIdentity NONE = new TaskIdentity("", "", "", "", "", "", "", "", "");

    public static TaskIdentity of(String containerId, String containerName, Map<String, String> labels) {
        Map<String, String> l = labels == null ? Map.of() : labels;
        String arn = l.getOrDefault(TASK_ARN, "");
        return new TaskIdentity(containerId, containerName, l.getOrDefault(CLUSTER, ""), arn, taskIdOf(arn),
                l.getOrDefault(FAMILY, ""), l.getOrDefault(REVISION, ""), l.getOrDefault(CONTAINER_NAME, ""),
                l.getOrDefault(GROUP_LABEL, ""));
    }

    /** The task id is the last segment of the ARN, in both the old and the new (cluster-qualified) ARN format. */
    static String taskIdOf(String arn) {
        return arn.substring(arn.lastIndexOf('/') + 1);
    }
}
