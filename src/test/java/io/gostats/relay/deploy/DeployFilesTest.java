package io.gostats.relay.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.gostats.relay.discovery.ContainerTargets;
import io.gostats.relay.discovery.PortSpec;

/**
 * deploy/ecs and deploy/cloud-init parsed and checked for what running the relay on an ECS container instance needs.
 * The relay image running with this task definition's user, mounts and environment is {@code e2e/RelayImageIT}.
 */
class DeployFilesTest {

    static final Path ECS = Path.of("deploy/ecs");
    static final Path RELAY_TASK = ECS.resolve("relay-task-definition.json");
    static final Path RELAY_SERVICE = ECS.resolve("relay-service.json");
    static final Path EXAMPLE_TASK = ECS.resolve("example-go-service-task-definition.json");
    static final Path USER_DATA = Path.of("deploy/cloud-init/user-data.yaml");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static JsonNode json(Path p) {
        try {
            return JSON.readTree(p.toFile());
        } catch (IOException e) {
            throw new AssertionError(p + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    /** The relay's container in its task definition. */
    static JsonNode relayContainer() {
        JsonNode containers = json(RELAY_TASK).path("containerDefinitions");
        assertEquals(1, containers.size(), "one container in " + RELAY_TASK);
        return containers.get(0);
    }

    static Optional<JsonNode> find(JsonNode array, Predicate<JsonNode> p) {
        for (JsonNode n : array) {
            if (p.test(n)) {
                return Optional.of(n);
            }
        }
        return Optional.empty();
    }

    /** The host path mounted at {@code containerPath}, with its readOnly flag, through the task's volumes. */
    static Map.Entry<String, Boolean> mount(JsonNode task, JsonNode container, String containerPath) {
        JsonNode m = find(container.path("mountPoints"), n -> n.path("containerPath").asText().equals(containerPath))
                .orElseThrow(() -> new AssertionError("no mount point at " + containerPath));
        String volume = m.path("sourceVolume").asText();
        JsonNode v = find(task.path("volumes"), n -> n.path("name").asText().equals(volume))
                .orElseThrow(() -> new AssertionError("no volume " + volume));
        return Map.entry(v.path("host").path("sourcePath").asText(), m.path("readOnly").asBoolean(false));
    }

    /** The task definition's environment as a map. */
    static Map<String, String> environment(JsonNode container) {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        container.path("environment").forEach(e -> env.put(e.path("name").asText(), e.path("value").asText()));
        return env;
    }

    @Test
    void relayTaskRunsOnTheHostNetworkWithTheSocketReadOnly() {
        JsonNode task = json(RELAY_TASK);
        JsonNode c = relayContainer();
        assertEquals("host", task.path("networkMode").asText(), "network mode: it reaches published ports on 127.0.0.1");
        assertTrue(task.path("requiresCompatibilities").toString().contains("EC2"), "EC2: a daemon needs instances");
        assertEquals(Map.entry("/var/run/docker.sock", true), mount(task, c, "/var/run/docker.sock"));
        assertEquals(Map.entry("/var/lib/mackerel-agent", true), mount(task, c, "/var/lib/mackerel-agent"));
        // the state directory on the host, writable, where the relay looks for it by default
        Map.Entry<String, Boolean> state = mount(task, c, "/var/lib/gostats-relay");
        assertEquals("/var/lib/gostats-relay", state.getKey());
        assertFalse(state.getValue(), "the state directory is written");
        Map<String, String> env = environment(c);
        assertEquals("/var/lib/gostats-relay", env.get("RELAY_STATE_DIR"), "slots, Mackerel queue and host id");
        assertEquals("/var/lib/mackerel-agent/id", env.get("RELAY_MACKEREL_HOST_ID_FILE"));
        assertEquals("unix:///var/run/docker.sock", env.get("RELAY_DISCOVERY_DOCKER_HOST"));
        assertTrue(c.path("readonlyRootFilesystem").asBoolean(), "read-only root filesystem");
        JsonNode tmp = find(c.path("linuxParameters").path("tmpfs"), n -> n.path("containerPath").asText().equals("/tmp"))
                .orElseThrow(() -> new AssertionError("a tmpfs on /tmp (the root filesystem is read-only)"));
        assertTrue(tmp.path("size").asInt() > 0, "tmpfs size");
        assertTrue(tmp.path("mountOptions").toString().contains("\"exec\""),
                "/tmp allows exec: JNA loads its native library from there");
    }

    @Test
    void relayRunsAsANonRootUserInTheSocketsGroup() {
        String user = relayContainer().path("user").asText();
        assertTrue(user.matches("\\d+:\\d+"), "user is uid:gid (ECS has no --group-add): " + user);
        String[] ug = user.split(":");
        assertNotEquals("0", ug[0], "not root");
        assertNotEquals("0", ug[1], "the Docker socket's group, not root's");
        // cloud-init gives the docker group exactly this gid
        assertTrue(text(USER_DATA).contains("groupmod -g " + ug[1] + " docker"),
                "deploy/cloud-init pins the docker group to gid " + ug[1]);
        assertTrue(text(USER_DATA).contains("-o, \"" + ug[0] + "\""),
                "cloud-init makes the state directory the relay's own (uid " + ug[0] + ")");
    }

    @Test
    void theApiKeyIsASecretNeverAPlainVariable() {
        JsonNode c = relayContainer();
        JsonNode secret = find(c.path("secrets"), n -> n.path("name").asText().equals("MACKEREL_APIKEY"))
                .orElseThrow(() -> new AssertionError("MACKEREL_APIKEY in secrets"));
        assertTrue(secret.path("valueFrom").asText().matches("arn:aws:(ssm|secretsmanager):.+"),
                "valueFrom is an SSM parameter or a Secrets Manager secret: " + secret);
        for (String name : environment(c).keySet()) {
            assertFalse(name.toUpperCase().replace("_", "").contains("APIKEY"), name + " in plain environment");
        }
        assertFalse(json(RELAY_TASK).path("executionRoleArn").asText().isEmpty(),
                "secrets need an execution role that may read them");
    }

    @Test
    void healthCheckAsksLivenessOnTheRelaysPort() {
        JsonNode hc = relayContainer().path("healthCheck");
        List<String> cmd = new ArrayList<>();
        hc.path("command").forEach(n -> cmd.add(n.asText()));
        assertEquals("CMD", cmd.get(0), "exec form: " + cmd);
        assertTrue(cmd.contains("http://127.0.0.1:10190/q/health/live"),
                "liveness, not readiness or /q/health (a Docker outage must not get the relay killed): " + cmd);
        assertTrue(hc.path("startPeriod").asInt() >= 30, "start period covers JVM start-up");
        assertTrue(hc.path("retries").asInt() >= 2);
        assertTrue(hc.path("timeout").asInt() < hc.path("interval").asInt());
    }

    @Test
    void memoryReservationAndLimitAndLogs() {
        JsonNode c = relayContainer();
        int reservation = c.path("memoryReservation").asInt();
        int limit = c.path("memory").asInt();
        assertTrue(reservation > 0 && limit >= reservation, "memoryReservation " + reservation + " <= memory " + limit);
        assertTrue(limit >= 192, "jvm.options caps the heap at 96 MiB; RSS reaches ~135 MiB at 1,000 targets: " + limit + " MiB");
        JsonNode log = c.path("logConfiguration");
        assertFalse(log.path("logDriver").asText().isEmpty(), "log driver");
        assertEquals("non-blocking", log.path("options").path("mode").asText(),
                "a slow log backend must not block the relay");
        assertTrue(c.path("essential").asBoolean());
    }

    @Test
    void serviceIsADaemonOfTheRelayTask() {
        JsonNode s = json(RELAY_SERVICE);
        assertEquals("DAEMON", s.path("schedulingStrategy").asText());
        assertEquals(json(RELAY_TASK).path("family").asText(), s.path("taskDefinition").asText());
        assertTrue(s.path("desiredCount").isMissingNode(), "a daemon service has no desired count");
        assertEquals(0, s.path("deploymentConfiguration").path("minimumHealthyPercent").asInt(),
                "one relay per instance: the old one stops before the new one starts");
        assertTrue(s.path("deploymentConfiguration").path("maximumPercent").asInt() <= 100);
    }

    @Test
    void exampleGoServicePublishesADynamicPortWithTheLabelsTheRelayReads() {
        JsonNode task = json(EXAMPLE_TASK);
        assertEquals("bridge", task.path("networkMode").asText());
        JsonNode worker = task.path("containerDefinitions").get(1).path("dockerLabels");
        assertEquals("/metrics", worker.path(ContainerTargets.PATH_LABEL).asText(), "a client_golang service");
        assertEquals(java.util.Optional.of(io.gostats.relay.model.SourceFormat.PROMETHEUS),
                io.gostats.relay.model.SourceFormat.choice(worker.path("gostats.format").asText()));
        for (JsonNode c : task.path("containerDefinitions")) {
            checkLabelledPort(c);
        }
        // the relay's task definition selects containers by that label
        assertEquals(ContainerTargets.PORT_LABEL, environment(relayContainer()).get("RELAY_DISCOVERY_DOCKER_LABELS"));
    }

    /** A container of the example: a dynamic host port for the container port its gostats.port label names. */
    static void checkLabelledPort(JsonNode c) {
        JsonNode pm = c.path("portMappings").get(0);
        assertEquals(0, pm.path("hostPort").asInt(-1), "dynamic host port");
        assertTrue(pm.has("hostPort"));
        JsonNode labels = c.path("dockerLabels");
        List<Integer> ports = PortSpec.parseList(labels.path(ContainerTargets.PORT_LABEL).asText());
        assertEquals(List.of(PortSpec.parse(pm.path("containerPort").asInt() + "/" + pm.path("protocol").asText())),
                ports, "the gostats.port label names the mapped container port");
        assertTrue(labels.path(ContainerTargets.PATH_LABEL).asText().startsWith("/"));
    }

    @Test
    void cloudInitIsCloudConfigThatRunsTheAgentAndTheRelayWithoutTheOldLoop() throws IOException {
        String text = text(USER_DATA);
        assertTrue(text.startsWith("#cloud-config\n"), "first line #cloud-config");
        JsonNode doc = YAML.readTree(text);
        assertTrue(doc.isObject(), "a YAML mapping");
        Map<String, String> files = new java.util.HashMap<>();
        doc.path("write_files").forEach(f -> files.put(f.path("path").asText(), f.path("content").asText()));
        String agentConf = files.get("/etc/mackerel-agent/mackerel-agent.conf");
        assertTrue(agentConf != null, "writes mackerel-agent.conf: " + files.keySet());
        assertFalse(agentConf.contains("[plugin.metrics.gostats"), "no mackerel-plugin-gostats loop in the agent");
        assertFalse(agentConf.matches("(?s).*apikey\\s*=.*"), "the key is not in the user data");
        String unit = files.get("/etc/systemd/system/gostats-relay.service");
        assertTrue(unit != null, "a unit that runs the relay's container");
        for (String flag : List.of("--network host", "--read-only", "--tmpfs /tmp",
                "-v /var/run/docker.sock:/var/run/docker.sock:ro",
                "-v /var/lib/mackerel-agent:/var/lib/mackerel-agent:ro", "--user 10190", "--group-add")) {
            assertTrue(unit.contains(flag), "the relay's docker run has " + flag + ":\n" + unit);
        }
        assertTrue(files.get("/etc/ecs/ecs.config").contains("ECS_CLUSTER="), "joins a cluster");
        String runcmd = doc.path("runcmd").toString();
        assertTrue(runcmd.contains("mackerel-agent"), "installs and starts mackerel-agent");
        assertTrue(runcmd.contains("gostats-relay.service"), "starts the relay");
        assertFalse(runcmd.contains("ecs_gostats") || files.values().stream().anyMatch(f -> f.contains("ecs_gostats")),
                "the old loop is neither run nor written");
    }

    static String text(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
