package io.gostats.relay.e2e;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Before the relay starts: the Docker Engine ({@code docker-env up}) with four ECS-labelled tasks of family
 * {@value #FAMILY}, and a {@link DockerSocketProxy} in front of the engine's socket that the relay is given as its
 * Docker host: the test holds one stats request there while it stops the container, and cuts the event stream.
 */
public class DockerRacesResource extends TasksResource {

    static final String CLUSTER = "races";
    static final String FAMILY = "race-api";
    static final String MACKEREL_KEY = "e2eDockerRacesKey0123456789abcdSECRET";

    /** The proxy the running test reaches (same JVM as the resource). */
    static volatile DockerSocketProxy proxy;

    @Override
    public void init(Map<String, String> initArgs) {
        engine = Engine.DOCKER;
    }

    @Override
    Map<String, String> scenario(String dockerHost) throws IOException {
        List<Task> tasks = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            tasks.add(Task.start(engine, CLUSTER, FAMILY, "1", "api", 5 + i, false));
        }
        Path socket = Path.of(URI.create(dockerHost.replace("unix://", "file://")).getPath());
        proxy = DockerSocketProxy.start(socket.resolveSibling("p.sock"), socket);
        Map<String, String> config = relayConfig(proxy.dockerHost(),
                "com.amazonaws.ecs.task-definition-family=" + FAMILY, MACKEREL_KEY, "i-0e2e0e2e0e2e0e2e4");
        config.put("e2e.tasks", Task.specs(tasks));
        return config;
    }

    @Override
    List<String> setupKeys() {
        return List.of("e2e.tasks");
    }

    @Override
    public void stop() {
        DockerSocketProxy p = proxy;
        proxy = null;
        if (p != null) {
            p.close();
        }
        super.stop();
    }
}
