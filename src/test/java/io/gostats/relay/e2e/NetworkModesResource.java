package io.gostats.relay.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import io.gostats.relay.FreePorts;

/**
 * Before the relay starts: one task container of family {@value #FAMILY} per network shape an ECS task has, on the
 * engine of the resource's {@code engine} argument: host networking (its port named by {@code gostats.port}), no
 * published port (bridge: the container's own IP, as awsvpc gives a task an address of its own), two published
 * ports ({@code gostats.port=8080,9090}, {@code gostats.path}), and an awsvpc-like pair: a pause container holding
 * the network namespace and the task's container in it ({@code --network container:<pause>}), reached at the pause
 * container's IP. Hands the test, per container name, the targets the relay must show ({@code e2e.expected}).
 */
public class NetworkModesResource extends TasksResource {

    static final String CLUSTER = "net";
    static final String FAMILY = "net-api";
    static final String MACKEREL_KEY = "e2eNetworkModesKey0123456789abcdSECRET";

    @Override
    Map<String, String> scenario(String dockerHost) throws IOException {
        Map<String, List<String>> expected = new LinkedHashMap<>();

        int hostPort = FreePorts.any();
        String host = run("host", List.of("--network", "host", "--label", "gostats.port=" + hostPort),
                List.of("-listen", ":" + hostPort));
        expected.put(host, List.of("127.0.0.1:" + hostPort + "/stats"));

        String noport = run("noport", List.of(), List.of("-listen", ":8080"));
        expected.put(noport, List.of(ip(noport) + ":8080/stats"));

        String multi = run("multi", List.of("-p", "8080", "-p", "9090", "--label", "gostats.port=8080,9090",
                "--label", "gostats.path=/debug/stats"), List.of("-listen", ":8080,:9090", "-path", "/debug/stats"));
        expected.put(multi, List.of("127.0.0.1:" + engine.hostPort(multi, 8080) + "/debug/stats",
                "127.0.0.1:" + engine.hostPort(multi, 9090) + "/debug/stats"));

        // the ECS agent's pause container: the task's labels, but not its family, and no app of its own
        String pause = "ecs-" + FAMILY + "-1-internalecspause-" + Task.randomHex(10);
        engine.cli("run", "-d", "--init", "--name", pause, "--label", "com.amazonaws.ecs.cluster=" + CLUSTER,
                "--label", "com.amazonaws.ecs.container-name=~internal~ecs~pause", engine.image, "/bin/sh", "-c",
                "sleep 100000").orThrow();
        String awsvpc = run("awsvpc", List.of("--network", "container:" + pause), List.of("-listen", ":8080"));
        expected.put(awsvpc, List.of(ip(pause) + ":8080/stats"));

        for (List<String> targets : expected.values()) {
            for (String t : targets) {
                awaitHealthy(t.substring(0, t.indexOf('/')));
            }
        }
        Map<String, String> config = relayConfig(dockerHost, "com.amazonaws.ecs.task-definition-family=" + FAMILY,
                MACKEREL_KEY, "i-0e2e0e2e0e2e0e2e5");
        StringBuilder spec = new StringBuilder();
        expected.forEach((name, targets) -> spec.append(spec.length() == 0 ? "" : ";").append(name).append('=')
                .append(String.join(",", targets)));
        config.put("e2e.expected", spec.toString());
        return config;
    }

    @Override
    List<String> setupKeys() {
        return List.of("e2e.expected");
    }

    /** A task container of {@value #FAMILY} named for its shape; returns its name. */
    private String run(String shape, List<String> options, List<String> appFlags) {
        String name = "ecs-" + FAMILY + "-1-" + shape + "-" + Task.randomHex(10);
        List<String> args = new ArrayList<>(List.of("run", "-d", "--init", "--name", name));
        args.addAll(Task.ecsLabels(CLUSTER, FAMILY, "1", shape, Task.randomHex(16)));
        args.addAll(options);
        args.add(engine.image);
        args.add("/app");
        args.addAll(appFlags);
        engine.cli(args.toArray(String[]::new)).orThrow();
        return name;
    }

    private String ip(String name) {
        String ip = engine.cli("inspect", "-f", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", name)
                .orThrow().lastLine();
        if (!ip.matches("[0-9.]+")) {
            throw new IllegalStateException(name + " has no IPv4 address: '" + ip + "'");
        }
        return ip;
    }

    /** Waits until {@code host:port} answers /healthz from this host. */
    static void awaitHealthy(String hostPort) {
        String[] hp = hostPort.split(":");
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(hp[0], Integer.parseInt(hp[1])), 1000);
                s.setSoTimeout(3000);
                OutputStream out = s.getOutputStream();
                out.write(("GET /healthz HTTP/1.0\r\nHost: " + hostPort + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                InputStream in = s.getInputStream();
                String reply = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
                if (reply.startsWith("HTTP/1.0 200") || reply.startsWith("HTTP/1.1 200")) {
                    return;
                }
                last = reply;
            } catch (IOException e) {
                last = e.toString();
            }
            Task.sleep(100);
        }
        throw new IllegalStateException(hostPort + " did not answer /healthz: " + last);
    }

    /** name -> targets (host:port/path) from {@code e2e.expected}. */
    static Map<String, TreeSet<String>> parse(String spec) {
        Map<String, TreeSet<String>> m = new LinkedHashMap<>();
        for (String entry : spec.split(";")) {
            String[] kv = entry.split("=", 2);
            m.put(kv[0], new TreeSet<>(List.of(kv[1].split(","))));
        }
        return m;
    }
}
