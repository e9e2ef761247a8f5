package io.gostats.relay.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.github.dockerjava.api.model.Container;
import io.gostats.relay.model.ExpvarKeys;
import io.gostats.relay.model.SourceFormat;
import io.gostats.relay.model.Target;
import io.gostats.relay.model.TaskIdentity;

class ContainerTargetsTest {

    static final ContainerSelector ANY = new ContainerSelector(Optional.empty(), List.of(), Optional.empty());
    static final Function<String, Optional<String>> NO_INSPECT = id -> {
        throw new AssertionError("no inspect expected for " + id);
    };

    final List<ContainerTargets.BadLabelException> bad = new ArrayList<>();

    List<Target> map(ContainerSelector selector, Function<String, Optional<String>> inspect, String... files) {
        return new ContainerTargets(selector, 8080, "/stats", "127.0.0.1", inspect)
                .targetsOf(DockerReplies.containers(files), bad::add);
    }

    @Test
    void ecsBridgeTasksGetTheirPublishedPortAndIdentity() {
        List<Target> ts = map(ANY, NO_INSPECT, "docker-containers-ecs-bridge.json");
        assertEquals(2, ts.size(), "the ecs-agent publishes nothing and is not picked: " + ts);
        Target t = ts.get(0);
        assertEquals("127.0.0.1", t.host());
        assertEquals(32768, t.port());
        assertEquals("/stats", t.path());
        assertEquals(8080, t.containerPort());
        assertEquals("http://127.0.0.1:32768/stats", t.url());
        TaskIdentity id = t.identity();
        assertEquals("ecs-api-7-api-d6f8a0c2e4b6d8f0a201", id.containerName());
        assertEquals("demo", id.cluster());
        assertEquals("arn:aws:ecs:ap-northeast-1:123456789012:task/demo/0123456789abcdef0123456789abcdef",
                id.taskArn());
        assertEquals("0123456789abcdef0123456789abcdef", id.taskId());
        assertEquals("api", id.family());
        assertEquals("7", id.revision());
        assertEquals("api", id.ecsContainer());
        assertEquals(id.containerId() + ":8080", t.id());
        assertEquals(32769, ts.get(1).port());
    }

    @Test
    void dualStackEntriesOfOneMappingMakeOneTarget() {
        List<Target> ts = map(ANY, NO_INSPECT, "docker-containers-dual-stack.json");
        List<String> urls = ts.stream().map(Target::url).toList();
        assertEquals(List.of("http://127.0.0.1:32768/stats", "http://127.0.0.1:32770/debug/stats",
                "http://127.0.0.1:32769/debug/stats"), urls);
    }

    /**
     * One listing of Debian's docker.io 20.10 (API 1.41) with every network shape an ECS task has: bridge with a
     * dynamic host port (listed twice, 0.0.0.0 and ::), host networking, no published port, two published ports, an
     * awsvpc-like container in its pause container's namespace ({@code container:<id>}), and a decoy of another
     * family. Docker's list carries {@code HostConfig.NetworkMode}: no inspect is needed (podman's list needs one for
     * host networking).
     */
    @Test
    void dockerEngineListingOfEveryNetworkShapeNeedsNoInspect() {
        ContainerSelector family = new ContainerSelector(Optional.empty(), List.of(
                ContainerSelector.LabelSelector.parse("com.amazonaws.ecs.task-definition-family=demo-api")),
                Optional.empty());
        List<Target> ts = map(family, NO_INSPECT, "docker-20.10-containers-all.json");
        java.util.Map<String, String> urls = new java.util.TreeMap<>();
        ts.forEach(t -> urls.merge(t.identity().containerName(), t.url(), (a, b) -> a + " " + b));
        assertEquals(java.util.Map.of(
                "ecs-demo-api-3-api-bridge", "http://127.0.0.1:32768/stats",
                "ecs-demo-api-3-api-host", "http://127.0.0.1:18080/stats",
                "ecs-demo-api-3-api-noport", "http://172.17.0.3:8080/stats",
                "ecs-demo-api-3-api-multi", "http://127.0.0.1:32770/debug/stats http://127.0.0.1:32769/debug/stats",
                "ecs-demo-api-3-api-awsvpc", "http://172.17.0.5:8080/stats"), urls);
        assertTrue(bad.isEmpty(), bad.toString());
        Target bridge = ts.stream().filter(t -> t.port() == 32768).findFirst().orElseThrow();
        assertEquals("11111111111111111111111111111111", bridge.identity().taskId());
        assertEquals("demo", bridge.identity().cluster());
        assertEquals("3", bridge.identity().revision());
        assertEquals("api", bridge.identity().ecsContainer());
        assertEquals("d4713e712934320df4e346604d4a2cf1dfac2299e91d81ec54c24f84fd307527:8080", bridge.id());
    }

    /** The same Docker containers' inspect replies agree with the list on the network mode. */
    @Test
    void dockerEngineInspectRepliesGiveTheListedNetworkModes() {
        var inspected = DockerReplies.inspected("docker-20.10-inspect-bridge.json", "docker-20.10-inspect-host.json",
                "docker-20.10-inspect-noport.json", "docker-20.10-inspect-multi.json",
                "docker-20.10-inspect-awsvpc.json");
        for (var c : DockerReplies.containers("docker-20.10-containers-all.json")) {
            Optional<String> mode = inspected.apply(c.getId());
            if (mode.isPresent()) {
                assertEquals(c.getHostConfig().getNetworkMode(), mode.get(), ContainerTargets.nameOf(c));
            }
        }
        assertEquals(Optional.of("host"), inspected.apply(
                "79322c12c597e99ca645396bf7cdfffd27f0e2e1f24a51018e181a1d4e69e4cc"));
    }

    @Test
    void podmanBridgeWithoutIpField() {
        List<Target> ts = map(ANY, NO_INSPECT, "podman-containers-bridge.json");
        assertEquals(1, ts.size());
        assertEquals(37395, ts.get(0).port());
        assertEquals("api-bridge", ts.get(0).identity().containerName());
    }

    @Test
    void severalPortsPerContainerAreSeveralTargetsWithTheLabelPath() {
        List<Target> ts = map(ANY, NO_INSPECT, "podman-containers-multiport.json");
        assertEquals(List.of(8080, 9090), ts.stream().map(Target::containerPort).toList());
        assertEquals(List.of(41969, 43843), ts.stream().map(Target::port).toList());
        assertTrue(ts.stream().allMatch(t -> t.path().equals("/debug/stats")));
        assertEquals(2, ts.stream().map(Target::id).distinct().count());
    }

    @Test
    void hostNetworkingUsesTheContainerPortOnTheHostAddress() {
        // podman's list reply has no HostConfig: the mode comes from an inspect
        List<Target> ts = map(ANY, DockerReplies.inspected("podman-inspect-host.json"),
                "podman-containers-host.json");
        assertEquals(1, ts.size());
        assertEquals("127.0.0.1", ts.get(0).host());
        assertEquals(9090, ts.get(0).port());
        assertEquals("1111111111aaaaaaaaaa222222222222", ts.get(0).identity().taskId());
    }

    @Test
    void hostModeFromDockerListNeedsNoInspect() {
        ContainerSelector agent = new ContainerSelector(Optional.of(Pattern.compile("ecs-agent")), List.of(),
                Optional.empty());
        List<Target> ts = map(agent, NO_INSPECT, "docker-containers-ecs-bridge.json");
        assertEquals(List.of("http://127.0.0.1:8080/stats"), ts.stream().map(Target::url).toList());
    }

    @Test
    void noPublishedPortUsesTheContainerAddress() {
        ContainerSelector awsvpc = new ContainerSelector(Optional.empty(),
                List.of(ContainerSelector.LabelSelector.parse("com.amazonaws.ecs.task-definition-family=api-awsvpc")),
                Optional.empty());
        List<Target> ts = map(awsvpc, NO_INSPECT, "podman-containers-noport.json");
        assertEquals(List.of("http://10.88.0.10:8080/stats"), ts.stream().map(Target::url).toList());
    }

    @Test
    void withoutSelectorOnlyContainersPublishingTheWatchedPortOrLabelledArePicked() {
        List<Target> ts = map(ANY, DockerReplies.inspected("podman-inspect-host.json"), "podman-containers-all.json");
        List<String> names = ts.stream().map(t -> t.identity().containerName()).distinct().sorted().toList();
        // api-awsvpc publishes nothing and has no gostats.port label; api-host's mode is unknown to this inspect
        assertEquals(List.of("api-bridge", "api-multi"), names);
    }

    @Test
    void nameRegexMatchesAnywhereLikeDockersNameFilter() {
        ContainerSelector byName = new ContainerSelector(Optional.of(Pattern.compile("api")), List.of(),
                Optional.empty());
        List<Target> ts = map(byName, NO_INSPECT, "docker-containers-ecs-bridge.json");
        assertEquals(2, ts.size());
        ContainerSelector anchored = new ContainerSelector(Optional.of(Pattern.compile("^api")), List.of(),
                Optional.empty());
        assertEquals(0, map(anchored, NO_INSPECT, "docker-containers-ecs-bridge.json").size());
    }

    @Test
    void labelSelectorsMustAllMatch() {
        ContainerSelector both = new ContainerSelector(Optional.empty(), List.of(
                ContainerSelector.LabelSelector.parse("com.amazonaws.ecs.cluster=demo"),
                ContainerSelector.LabelSelector.parse("com.amazonaws.ecs.task-arn")), Optional.empty());
        assertEquals(2, map(both, NO_INSPECT, "docker-containers-ecs-bridge.json").size());
        ContainerSelector wrong = new ContainerSelector(Optional.empty(), List.of(
                ContainerSelector.LabelSelector.parse("com.amazonaws.ecs.cluster=demo"),
                ContainerSelector.LabelSelector.parse("com.amazonaws.ecs.task-definition-family=other")),
                Optional.empty());
        assertEquals(0, map(wrong, NO_INSPECT, "docker-containers-ecs-bridge.json").size());
    }

    @Test
    void imageSelectorWithAndWithoutTag() {
        assertTrue(ContainerSelector.imageMatches("localhost/gostats-testapp", "localhost/gostats-testapp:latest"));
        assertTrue(ContainerSelector.imageMatches("registry:5000/api", "registry:5000/api:1.4"));
        assertTrue(!ContainerSelector.imageMatches("registry:5000/api:1.3", "registry:5000/api:1.4"));
        assertTrue(!ContainerSelector.imageMatches("api", "api-worker:1"));
        ContainerSelector image = new ContainerSelector(Optional.empty(), List.of(),
                Optional.of("123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/api"));
        assertEquals(2, map(image, NO_INSPECT, "docker-containers-ecs-bridge.json").size());
    }

    @Test
    void badPortLabelSkipsOnlyThatContainer() {
        List<Container> cs = DockerReplies.containers("docker-containers-ecs-bridge.json");
        cs.get(0).getLabels().put(ContainerTargets.PORT_LABEL, "80a");
        List<Target> ts = new ContainerTargets(ANY, 8080, "/stats", "127.0.0.1", NO_INSPECT).targetsOf(cs, bad::add);
        assertEquals(1, ts.size());
        assertEquals(1, bad.size());
        assertTrue(bad.get(0).getMessage().contains("gostats.port"), bad.get(0).getMessage());
        assertTrue(bad.get(0).getMessage().contains("ecs-api-7-api-d6f8a0c2e4b6d8f0a201"), bad.get(0).getMessage());
    }

    /** Labels are written by whoever deploys a container: they may choose a port and a path, never another host. */
    @Test
    void hostileLabelsCannotSendTheRelayElsewhere() {
        String[] hostilePaths = { "@evil.example/x", "//evil.example/", "http://evil/", "evil.example/stats",
                "/stats\r\nHost: evil.example", "/stats\nX: y", "/\\evil.example/", "/stats#frag", "/st ats",
                "", "/%zz" };
        String[] hostilePorts = { "0", "65536", "-1", "99999999999", "8080/udp", "80\r\n80", "evil.example:80",
                "127.0.0.1:22", "" };
        List<Container> cs = new ArrayList<>();
        for (String path : hostilePaths) {
            cs.add(labelled(cs.size(), java.util.Map.of(ContainerTargets.PATH_LABEL, path)));
        }
        for (String port : hostilePorts) {
            cs.add(labelled(cs.size(), java.util.Map.of(ContainerTargets.PORT_LABEL, port)));
        }
        int goodIndex = cs.size();
        Container good = labelled(goodIndex, java.util.Map.of(ContainerTargets.PATH_LABEL, "/debug/stats?x=1&y=%2F@a",
                ContainerTargets.PORT_LABEL, "8080"));
        cs.add(good);
        List<Target> ts = new ContainerTargets(ANY, 8080, "/stats", "127.0.0.1", NO_INSPECT).targetsOf(cs, bad::add);
        assertEquals(List.of("http://127.0.0.1:" + (40000 + 2 * goodIndex) + "/debug/stats?x=1&y=%2F@a"), ts.stream().map(Target::url).toList(),
                "only the well-labelled container is a target");
        assertEquals(hostilePaths.length + hostilePorts.length, bad.size(), bad.toString());
        for (ContainerTargets.BadLabelException e : bad) {
            assertTrue(e.getMessage().chars().noneMatch(ch -> ch == '\r' || ch == '\n'),
                    "a label cannot forge log lines: " + e.getMessage());
        }
        // whatever passes the check stays on the container's own address
        for (String path : new String[] { "/x@evil.example/", "/;@evil", "/stats?u=http://evil/", "/..//evil" }) {
            List<Target> one = new ContainerTargets(ANY, 8080, "/stats", "127.0.0.1", NO_INSPECT)
                    .targetsOf(List.of(labelled(0, java.util.Map.of(ContainerTargets.PATH_LABEL, path))), bad::add);
            java.net.URI uri = java.net.URI.create(one.get(0).url());
            assertEquals("127.0.0.1", uri.getHost(), path);
            assertEquals(40000, uri.getPort(), path);
        }
    }

    @Test
    void formatAndExpvarLabelsChooseHowRepliesAreRead() {
        List<Container> cs = List.of(
                labelled(0, java.util.Map.of("gostats.format", "prometheus", ContainerTargets.PATH_LABEL, "/metrics")),
                labelled(1, java.util.Map.of("gostats.format", "EXPVAR", ContainerTargets.PATH_LABEL, "/debug/vars",
                        "gostats.expvar.goroutines", "num_goroutines", "gostats.expvar.cgo-calls", "cgo")),
                labelled(2, java.util.Map.of("gostats.format", "auto")),
                labelled(3, java.util.Map.of()),
                labelled(4, java.util.Map.of("gostats.format", "openmetrics")),
                labelled(5, java.util.Map.of("gostats.expvar.goroutine", "g")),
                labelled(6, java.util.Map.of("gostats.expvar.gomaxprocs", "bad\nkey\r")),
                labelled(7, java.util.Map.of("gostats.format", "gostats\r\nX: y")));
        List<Target> ts = new ContainerTargets(ANY, 8080, "/stats", "127.0.0.1", NO_INSPECT,
                Optional.of(SourceFormat.GOSTATS)).targetsOf(cs, bad::add);
        assertEquals(4, ts.size(), ts.toString());
        assertEquals(Optional.of(SourceFormat.PROMETHEUS), ts.get(0).format());
        assertEquals("http://127.0.0.1:40000/metrics", ts.get(0).url());
        assertEquals(Optional.of(SourceFormat.EXPVAR), ts.get(1).format());
        assertEquals(List.of("num_goroutines"), ts.get(1).expvar().goroutines());
        assertEquals(List.of("cgo"), ts.get(1).expvar().cgoCalls());
        assertEquals(ExpvarKeys.COMMON.gomaxprocs(), ts.get(1).expvar().gomaxprocs(), "unlabelled: the common names");
        assertEquals(Optional.empty(), ts.get(2).format(), "auto overrides the configured default");
        assertEquals(Optional.of(SourceFormat.GOSTATS), ts.get(3).format(), "unlabelled: the configured default");
        assertEquals(4, bad.size(), bad.toString());
        assertTrue(bad.get(0).getMessage().contains("label gostats.format: 'openmetrics' is not one of auto, gostats, "
                + "prometheus, expvar"), bad.get(0).getMessage());
        assertTrue(bad.get(1).getMessage().contains("gostats.expvar.goroutine: unknown"), bad.get(1).getMessage());
        assertTrue(bad.get(2).getMessage().contains("gostats.expvar.gomaxprocs"), bad.get(2).getMessage());
        for (ContainerTargets.BadLabelException e : bad) {
            assertTrue(e.getMessage().chars().noneMatch(ch -> ch == '\r' || ch == '\n'), e.getMessage());
        }
    }

    /** A bridge container publishing container ports 8080 and 9090 on host ports 40000 + 2i and 40001 + 2i. */
    static Container labelled(int i, java.util.Map<String, String> labels) {
        String json = "{\"Id\":\"c" + i + "\",\"Names\":[\"/task" + i + "\"],\"Labels\":{},\"Ports\":["
                + "{\"PrivatePort\":8080,\"PublicPort\":" + (40000 + 2 * i) + ",\"Type\":\"tcp\"},"
                + "{\"PrivatePort\":9090,\"PublicPort\":" + (40001 + 2 * i) + ",\"Type\":\"tcp\"}]}";
        try {
            Container c = new com.fasterxml.jackson.databind.ObjectMapper().readValue(json, Container.class);
            c.getLabels().putAll(labels);
            return c;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
