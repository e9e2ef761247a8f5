package io.gostats.relay.discovery;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.ContainerPort;
import io.gostats.relay.model.SourceFormat;
import io.gostats.relay.model.Target;
import io.gostats.relay.model.TaskIdentity;

/**
 * Turns a listed container into its targets: one per watched container port, at the address that reaches it from
 * this host. Bridge: the published host port on {@code hostAddress}; host networking: the container port itself;
 * nothing published (awsvpc, or a network the host routes to): the container's own IP.
 */
public final class ContainerTargets {

    public static final String PORT_LABEL = "gostats.port";
    public static final String PATH_LABEL = "gostats.path";

    private final ContainerSelector selector;
    private final int defaultPort;
    private final String defaultPath;
    private final String hostAddress;
    private final Function<String, Optional<String>> inspectNetworkMode;
    private final Optional<SourceFormat> defaultFormat;

    /**
     * @param inspectNetworkMode the network mode of a container by id, from an inspect: podman's list reply has no
     *        {@code HostConfig}, so a host-network container there shows neither a port nor an address
     */
    public ContainerTargets(ContainerSelector selector, int defaultPort, String defaultPath, String hostAddress,
            Function<String, Optional<String>> inspectNetworkMode) {
        this(selector, defaultPort, defaultPath, hostAddress, inspectNetworkMode, Optional.empty());
    }

    /** @param defaultFormat the format of containers without a {@code gostats.format} label (empty: auto) */
    public ContainerTargets(ContainerSelector selector, int defaultPort, String defaultPath, String hostAddress,
            Function<String, Optional<String>> inspectNetworkMode, Optional<SourceFormat> defaultFormat) {
        this.defaultFormat = defaultFormat;
        this.selector = selector;
        this.defaultPort = defaultPort;
        this.defaultPath = defaultPath;
        this.hostAddress = hostAddress;
        this.inspectNetworkMode = inspectNetworkMode;
    }

    /**
     * Targets of every selected container in one listing (which must include all running containers, so that
     * an awsvpc task's address can be read off its pause container). A container with unusable labels is handed
     * to {@code onBadLabel} and skipped; the others go on.
     */
    public List<Target> targetsOf(List<Container> containers, Consumer<BadLabelException> onBadLabel) {
        Map<String, Container> byId = new HashMap<>();
        containers.forEach(c -> byId.put(c.getId(), c));
        List<Target> targets = new ArrayList<>();
        for (Container c : containers) {
            try {
                targets.addAll(targetsOf(c, id -> Optional.ofNullable(byId.get(id))));
            } catch (BadLabelException e) {
                onBadLabel.accept(e);
            }
        }
        return targets;
    }

    List<Target> targetsOf(Container c, Function<String, Optional<Container>> lookup) {
        Map<String, String> labels = c.getLabels() == null ? Map.of() : c.getLabels();
        String portLabel = labels.get(PORT_LABEL);
        if (selector.isEmpty() ? portLabel == null && publishedPort(c, defaultPort).isEmpty() : !selector.matches(c)) {
            return List.of();
        }
        List<Integer> ports;
        try {
            ports = portLabel == null ? List.of(defaultPort) : PortSpec.parseList(portLabel);
        } catch (IllegalArgumentException e) {
            throw new BadLabelException(c, PORT_LABEL, PathSpec.printable(e.getMessage()));
        }
        String path = labels.getOrDefault(PATH_LABEL, defaultPath);
        try {
            PathSpec.check(path);
        } catch (IllegalArgumentException e) {
            throw new BadLabelException(c, PATH_LABEL, e.getMessage());
        }
        SourceLabels source;
        try {
            source = SourceLabels.of(labels, defaultFormat);
        } catch (SourceLabels.LabelException e) {
            throw new BadLabelException(c, e.label, e.getMessage());
        }
        TaskIdentity identity = TaskIdentity.of(c.getId(), nameOf(c), labels);
        List<Target> targets = new ArrayList<>();
        for (int port : ports) {
            address(c, port, lookup).ifPresent(a -> targets.add(new Target(c.getId() + ":" + port, a.host(),
                    a.port(), path, port, identity, source.format(), source.expvar())));
        }
        return targets;
    }

    private record Address(String host, int port) {
    }

    private Optional<Address> address(Container c, int containerPort, Function<String, Optional<Container>> lookup) {
        if ("host".equals(networkMode(c))) {
            return Optional.of(new Address(hostAddress, containerPort));
        }
        Optional<Integer> published = publishedPort(c, containerPort);
        if (published.isPresent()) {
            return Optional.of(new Address(hostAddress, published.get()));
        }
        Optional<String> ip = ipOf(c, lookup);
        if (ip.isEmpty() && networkMode(c) == null
                && inspectNetworkMode.apply(c.getId()).filter("host"::equals).isPresent()) {
            return Optional.of(new Address(hostAddress, containerPort));
        }
        return ip.map(a -> new Address(a, containerPort));
    }

    /**
     * The host port a container port is published on. Docker lists one mapping twice (0.0.0.0 and ::), podman
     * without any IP; a port published on several host ports gives the lowest, so the choice is stable.
     */
    static Optional<Integer> publishedPort(Container c, int containerPort) {
        ContainerPort[] ports = c.getPorts() == null ? new ContainerPort[0] : c.getPorts();
        return Arrays.stream(ports)
                .filter(p -> Objects.equals(p.getPrivatePort(), containerPort) && p.getPublicPort() != null
                        && (p.getType() == null || "tcp".equalsIgnoreCase(p.getType())))
                .map(ContainerPort::getPublicPort)
                .min(Comparator.naturalOrder());
    }

    /** The container's IP; in {@code container:<id>} mode (awsvpc tasks share the pause container's) that one's. */
    private static Optional<String> ipOf(Container c, Function<String, Optional<Container>> lookup) {
        String mode = networkMode(c);
        if (mode != null && mode.startsWith("container:")) {
            return lookup.apply(mode.substring("container:".length()))
                    .filter(other -> other != c)
                    .flatMap(other -> ipOf(other, id -> Optional.empty()));
        }
        if (c.getNetworkSettings() == null || c.getNetworkSettings().getNetworks() == null) {
            return Optional.empty();
        }
        return c.getNetworkSettings().getNetworks().values().stream()
                .map(ContainerNetwork::getIpAddress)
                .filter(ip -> ip != null && !ip.isEmpty())
                .findFirst();
    }

    private static String networkMode(Container c) {
        return c.getHostConfig() == null ? null : c.getHostConfig().getNetworkMode();
    }

    static String nameOf(Container c) {
        String[] names = c.getNames();
        if (names == null || names.length == 0) {
            return "";
        }
        String n = names[0];
        return n.startsWith("/") ? n.substring(1) : n;
    }

    /** A container whose {@code gostats.*} labels cannot be used; it is skipped and reported, the others go on. */
    public static final class BadLabelException extends IllegalArgumentException {
        private final String containerId;

        public BadLabelException(Container c, String label, String why) {
            super("container " + nameOf(c) + " (" + shortId(c.getId()) + "): label " + label + ": " + why);
            this.containerId = c.getId() == null ? "" : c.getId();
        }

        public String containerId() {
            return containerId;
        }

        private static String shortId(String id) {
            return id == null ? "?" : id.substring(0, Math.min(12, id.length()));
        }
    }
}
