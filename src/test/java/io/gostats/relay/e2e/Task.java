package io.gostats.relay.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One container of the test app on an {@link Engine}, labelled the way the ECS agent labels a task's container, with
 * a dynamic host port for container port 8080. Passed from the test resource to the test as a config string
 * ({@link #spec()}).
 */
record Task(Engine engine, String name, int hostPort, String cluster, String taskId, String family, String revision,
        String ecsContainer, int goroutines, boolean churn) {

    static final String REGION_ACCOUNT = "arn:aws:ecs:ap-northeast-1:123456789012";
    private static final SecureRandom RANDOM = new SecureRandom();

    static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    String taskArn() {
        return REGION_ACCOUNT + ":task/" + cluster + "/" + taskId;
    }

    String target() {
        return "127.0.0.1:" + hostPort;
    }

    /** The labels the relay must put on every series of this task. */
    Map<String, String> seriesLabels() {
        Map<String, String> l = new LinkedHashMap<>();
        l.put("target", target());
        l.put("port", "8080");
        l.put("container", name);
        l.put("task_id", taskId);
        l.put("task_family", family);
        l.put("task_revision", revision);
        l.put("ecs_container", ecsContainer);
        l.put("cluster", cluster);
        return l;
    }

    /** goroutine_num the app reports while serving one request (src/test/e2e/README.md). */
    int expectedGoroutines() {
        return 3 + goroutines + (churn ? 1 : 0);
    }

    /**
     * Runs a task of {@code family}:{@code revision} with container {@code ecsContainer}, named as the ECS agent
     * names containers ({@code ecs-<family>-<revision>-<container>-<hex>}), and waits until it answers /healthz.
     */
    static Task start(Engine engine, String cluster, String family, String revision, String ecsContainer,
            int goroutines, boolean churn) {
        return start(engine, cluster, family, revision, ecsContainer, goroutines, churn, Map.of());
    }

    /** Also with {@code dockerLabels} of its own (the {@code gostats.*} labels, say). */
    static Task start(Engine engine, String cluster, String family, String revision, String ecsContainer,
            int goroutines, boolean churn, Map<String, String> dockerLabels) {
        List<String> appFlags = new ArrayList<>(List.of("-goroutines", Integer.toString(goroutines)));
        if (churn) {
            appFlags.add("-churn");
        }
        return start(engine, cluster, family, revision, ecsContainer, goroutines, churn, dockerLabels, List.of(),
                appFlags);
    }

    /**
     * The general form: {@code runOptions} go to {@code run} before the image (a CPU quota, a memory limit, a restart
     * policy), {@code appFlags} to the app after {@code -listen :8080}.
     */
    static Task start(Engine engine, String cluster, String family, String revision, String ecsContainer,
            int goroutines, boolean churn, Map<String, String> dockerLabels, List<String> runOptions,
            List<String> appFlags) {
        List<String> command = new ArrayList<>(List.of("/app", "-listen", ":8080"));
        command.addAll(appFlags);
        return run(engine, cluster, family, revision, ecsContainer, goroutines, churn, dockerLabels, runOptions,
                command);
    }

    /** Any {@code command} of the test image listening on :8080 ({@code /promapp -listen :8080}, say). */
    static Task run(Engine engine, String cluster, String family, String revision, String ecsContainer,
            int goroutines, boolean churn, Map<String, String> dockerLabels, List<String> runOptions,
            List<String> command) {
        String taskId = randomHex(16);
        String name = "ecs-" + family + "-" + revision + "-" + ecsContainer + "-" + randomHex(10);
        List<String> args = new ArrayList<>(List.of("run", "-d", "--init", "--name", name, "-p", "8080"));
        args.addAll(ecsLabels(cluster, family, revision, ecsContainer, taskId));
        dockerLabels.forEach((k, v) -> args.addAll(List.of("--label", k + "=" + v)));
        args.addAll(runOptions);
        args.add(engine.image);
        args.addAll(command);
        engine.cli(args.toArray(String[]::new)).orThrow();
        Task t = new Task(engine, name, engine.hostPort(name, 8080), cluster, taskId, family, revision, ecsContainer,
                goroutines, churn);
        t.awaitHealthy(Duration.ofSeconds(20));
        return t;
    }

    /** The labels the ECS agent puts on a task's container, as {@code --label} options. */
    static List<String> ecsLabels(String cluster, String family, String revision, String ecsContainer, String taskId) {
        return List.of("--label", "com.amazonaws.ecs.cluster=" + cluster,
                "--label", "com.amazonaws.ecs.container-name=" + ecsContainer,
                "--label", "com.amazonaws.ecs.task-arn=" + REGION_ACCOUNT + ":task/" + cluster + "/" + taskId,
                "--label", "com.amazonaws.ecs.task-definition-family=" + family,
                "--label", "com.amazonaws.ecs.task-definition-version=" + revision);
    }

    void remove() {
        engine.removeNow(name).orThrow();
    }

    /** The same task at the port its engine published now (a restarted container gets a new one on Docker). */
    Task withCurrentPort() {
        return new Task(engine, name, engine.hostPort(name, 8080), cluster, taskId, family, revision, ecsContainer,
                goroutines, churn);
    }

    void awaitHealthy(Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                Reply r = get("/healthz");
                if (r.status() == 200) {
                    return;
                }
                last = "HTTP " + r.status();
            } catch (IOException e) {
                last = e.toString();
            }
            sleep(100);
        }
        throw new IllegalStateException(name + " did not answer http://" + target() + "/healthz within " + max
                + ": " + last + "\n" + engine.cli("logs", name).describe());
    }

    record Reply(int status, String body) {
    }

    /**
     * One HTTP/1.0 GET on a connection of its own, closed by the app after the reply: no idle keep-alive connection
     * (a goroutine in the app) is left behind to change goroutine_num. Never used on /stats: every /stats request
     * moves the handler's rate baseline.
     */
    Reply get(String path) throws IOException {
        if (path.startsWith("/stats")) {
            throw new IllegalArgumentException("the test must not fetch /stats itself");
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", hostPort), 2000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.0\r\nHost: " + target() + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            byte[] bytes = all.toByteArray();
            int headerEnd = indexOf(bytes, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            if (headerEnd < 0) {
                throw new IOException("no complete HTTP reply from " + target() + path + ": "
                        + new String(bytes, StandardCharsets.ISO_8859_1));
            }
            String head = new String(bytes, 0, headerEnd, StandardCharsets.ISO_8859_1);
            String[] statusLine = head.split("\r\n")[0].split(" ");
            return new Reply(Integer.parseInt(statusLine[1]),
                    new String(Arrays.copyOfRange(bytes, headerEnd + 4, bytes.length), StandardCharsets.UTF_8));
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    String spec() {
        return String.join("|", engine.id(), name, Integer.toString(hostPort), cluster, taskId, family, revision, ecsContainer,
                Integer.toString(goroutines), Boolean.toString(churn));
    }

    static Task parse(String spec) {
        String[] p = spec.split("\\|");
        return new Task(Engine.of(p[0]), p[1], Integer.parseInt(p[2]), p[3], p[4], p[5], p[6], p[7],
                Integer.parseInt(p[8]), Boolean.parseBoolean(p[9]));
    }

    static String specs(List<Task> tasks) {
        return String.join(";", tasks.stream().map(Task::spec).toList());
    }

    static List<Task> parseAll(String specs) {
        return specs.isBlank() ? List.of() : Arrays.stream(specs.split(";")).map(Task::parse).toList();
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
