package io.gostats.relay.discovery;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.gostats.relay.config.ConfigProperty;
import io.gostats.relay.config.RelayConfig;
import io.gostats.relay.docker.DockerConnection;
import io.gostats.relay.model.SourceFormat;
import io.gostats.relay.model.Target;
import io.gostats.relay.model.SourceStatus;

/** All target sources of this relay, built from configuration; a bad property stops start-up, naming it. */
@ApplicationScoped
public class Discovery {

    private static final Logger LOG = Logger.getLogger(Discovery.class);

    private final List<TargetSource> sources = new ArrayList<>();
    private final Optional<DockerTargetSource> docker;

    public Discovery(RelayConfig config, DockerConnection connection) {
        RelayConfig.Discovery d = config.discovery();
        String path = config.collect().path();
        ConfigProperty.parse("relay.collect.path", () -> PathSpec.check(path));
        Optional<SourceFormat> format = ConfigProperty.parse("relay.collect.format",
                () -> SourceFormat.choice(config.collect().format()));
        List<String> statics = d.staticTargets().orElse(List.of());
        if (!statics.isEmpty()) {
            sources.add(ConfigProperty.parse("relay.discovery.static-targets",
                    () -> new StaticTargetSource(statics, path, format)));
        }
        if (connection.engine().isPresent()) {
            RelayConfig.Docker dc = d.docker();
            int port = ConfigProperty.parse("relay.discovery.container-port", () -> PortSpec.parse(d.containerPort()));
            ContainerSelector selector = new ContainerSelector(
                    ConfigProperty.parse("relay.discovery.docker.name", () -> dc.name().map(Pattern::compile)),
                    ConfigProperty.parse("relay.discovery.docker.labels", () -> dc.labels().orElse(List.of()).stream()
                            .map(ContainerSelector.LabelSelector::parse).toList()),
                    dc.image().filter(i -> !i.isBlank()));
            DockerTargetSource source = new DockerTargetSource(connection.engine().get(),
                    new TargetMapping(selector, port, path, dc.hostAddress(), format), dc.events(), Clock.systemUTC());
            sources.add(source);
            docker = Optional.of(source);
        } else {
            docker = Optional.empty();
        }
        if (sources.isEmpty()) {
            LOG.warn("no target source: Docker discovery is off (relay.discovery.docker.enabled=false) and "
                    + "relay.discovery.static-targets is empty; the relay serves its own metrics only");
        }
    }


    /** Every target of every source, each once. Blocks (Docker): call it off the event loop. */
    public List<Target> discover() {
        Map<String, Target> byId = new LinkedHashMap<>();
        for (TargetSource s : sources) {
            s.discover().forEach(t -> byId.putIfAbsent(t.id(), t));
        }
        return List.copyOf(byId.values());
    }

    public List<TargetSource> sources() {
        return List.copyOf(sources);
    }

    /** Whether the Docker Engine answered the last listing (false without Docker discovery). */
    public boolean dockerUp() {
        return docker.map(d -> d.status().up()).orElse(false);
    }

    public List<SourceStatus> statuses() {
        return sources.stream().map(TargetSource::status).toList();
    }

    @PreDestroy
    void close() {
        docker.ifPresent(DockerTargetSource::close);
    }
}
