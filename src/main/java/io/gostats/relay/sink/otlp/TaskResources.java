package io.gostats.relay.sink.otlp;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.gostats.relay.instance.InstanceIdentity;
import io.gostats.relay.model.Target;
import io.gostats.relay.model.TargetReport;
import io.gostats.relay.model.TaskIdentity;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.resources.Resource;

/**
 * The resource of each task: everything discovery knows of it, nothing fetched, so a failed fetch keeps the same
 * resource (and {@code gostats.up} 0 lands on the task's own series). Semantic-convention keys where one exists
 * ({@code aws.ecs.*}, {@code cloud.*}, {@code container.*}, {@code host.*}, {@code service.*}), {@code gostats.*}
 * where none does. Made once per target id: a target's identity and slot do not change; all are made again when
 * {@code host.id} does (the EC2 instance id known after the first exports: the host name stood in until then).
 */
final class TaskResources {

    private final Optional<String> serviceName;
    private final Map<String, String> extra;
    private final InstanceIdentity host;
    private final Map<String, Resource> byTarget = new HashMap<>();
    private String hostId;

    TaskResources(Optional<String> serviceName, Map<String, String> extra, InstanceIdentity host) {
        this.serviceName = serviceName;
        this.extra = Map.copyOf(extra);
        this.host = host;
    }

    Resource of(TargetReport r) {
        String id = host.hostId();
        if (!id.equals(hostId)) {
            byTarget.clear();
            hostId = id;
        }
        return byTarget.computeIfAbsent(r.target().id(), tid -> Resource.create(attributes(r.target(), r.slot())));
    }

    /** Forget targets gone from the snapshot. */
    void retain(Set<String> targetIds) {
        byTarget.keySet().retainAll(targetIds);
    }

    private Attributes attributes(Target t, int slot) {
        TaskIdentity i = t.identity();
        AttributesBuilder b = Attributes.builder();
        extra.forEach(b::put);
        b.put("service.name", serviceName.orElseGet(() -> firstOf(i.family(), i.group(), i.containerName(),
                "unknown_service:gostats")));
        b.put("service.instance.id", t.id());
        b.put("host.id", hostId);
        b.put("host.name", host.hostName());
        b.put("gostats.port", (long) t.containerPort());
        putIfSet(b, "container.id", i.containerId());
        putIfSet(b, "container.name", i.containerName());
        if (!i.taskArn().isEmpty()) {
            ecs(b, i);
        }
        // the task's stable number per (family, container port) on this host: a redeploy continues its series
        b.put("gostats.slot", (long) slot);
        return b.build();
    }

    /** ARN: arn:aws:ecs:region:account:task/cluster/id; the cluster label is a name or an ARN. */
    private static void ecs(AttributesBuilder b, TaskIdentity i) {
        String[] arn = i.taskArn().split(":", 6);
        String region = arn.length == 6 ? arn[3] : "";
        String account = arn.length == 6 ? arn[4] : "";
        b.put("cloud.provider", "aws");
        b.put("cloud.platform", "aws_ecs");
        putIfSet(b, "cloud.region", region);
        putIfSet(b, "cloud.account.id", account);
        b.put("aws.ecs.launchtype", "ec2");
        b.put("aws.ecs.task.arn", i.taskArn());
        putIfSet(b, "aws.ecs.task.id", i.taskId());
        putIfSet(b, "aws.ecs.task.family", i.family());
        putIfSet(b, "aws.ecs.task.revision", i.revision());
        putIfSet(b, "gostats.ecs.container.name", i.ecsContainer());
        String cluster = i.cluster();
        if (cluster.startsWith("arn:")) {
            b.put("aws.ecs.cluster.arn", cluster);
        } else if (!cluster.isEmpty() && !region.isEmpty() && !account.isEmpty()) {
            b.put("aws.ecs.cluster.arn", "arn:" + arn[1] + ":ecs:" + region + ":" + account + ":cluster/" + cluster);
        }
    }

    private static void putIfSet(AttributesBuilder b, String key, String value) {
        if (!value.isEmpty()) {
            b.put(key, value);
        }
    }

    private static String firstOf(String... values) {
        for (String v : values) {
            if (!v.isEmpty()) {
                return v;
            }
        }
        return "";
    }
}
