package io.gostats.relay.e2e;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Before the relay starts: the Docker Engine ({@code docker-env up}) with three ECS-labelled tasks of family
 * {@value #FAMILY}, run with {@code --restart always} as the ECS agent's restarts would bring them back after a
 * dockerd restart. Three placeholder containers published first (and removed) move Docker's port allocator on, so
 * that the tasks hold 32771-32773 and a restarted dockerd, whose allocator starts at 32768 again, hands them other
 * ports. The relay talks to the engine's socket directly ({@code e2e.tasks}, {@code e2e.socket}).
 */
public class DockerFaultsResource extends TasksResource {

    static final String CLUSTER = "faults";
    static final String FAMILY = "fault-api";
    static final String MACKEREL_KEY = "e2eDockerFaultsKey0123456789abcSECRET";

    @Override
    public void init(Map<String, String> initArgs) {
        engine = Engine.DOCKER;
    }

    @Override
    Map<String, String> scenario(String dockerHost) throws IOException {
        List<String> placeholders = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String name = "placeholder-" + i;
            engine.cli("run", "-d", "--init", "--name", name, "-p", "8080", engine.image).orThrow();
            placeholders.add(name);
        }
        List<Task> tasks = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int goroutines = 5 + 5 * i;
            tasks.add(Task.start(engine, CLUSTER, FAMILY, "1", "api", goroutines, false, Map.of(),
                    List.of("--restart", "always"), List.of("-goroutines", Integer.toString(goroutines))));
        }
        for (String p : placeholders) {
            engine.removeNow(p).orThrow();
        }
        Map<String, String> config = relayConfig(dockerHost, "com.amazonaws.ecs.task-definition-family=" + FAMILY,
                MACKEREL_KEY, "i-0e2e0e2e0e2e0e2e3");
        config.put("e2e.tasks", Task.specs(tasks));
        return config;
    }

    @Override
    List<String> setupKeys() {
        return List.of("e2e.tasks");
    }
}
