package io.gostats.relay.sink.mackerel.graphs;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.gostats.relay.sink.mackerel.api.GraphDefinition;

/**
 * What goes to Mackerel, by graph group ({@code relay.mackerel.graphs}): each group is a set of metric names and the
 * graph definitions that draw them, so that a user bounds the cost of a host by leaving groups out.
 */
public enum GraphGroup {
    /** Every task's 15 gostats metrics, {@code custom.<prefix>.<key>.<graph>.<metric>}. */
    GOSTATS("gostats"),
    /** Every task's process graph (client_golang targets only), under the task's key like gostats. */
    PROCESS("process"),
    /** Per container, what mackerel-plugin-docker lacks: {@code custom.<prefix>_container.<graph>.<key>.*}. */
    CONTAINER("container"),
    /** Per container, mackerel-plugin-docker's own graphs: {@code custom.docker.<graph>.<key>.*}. */
    DOCKER("docker"),
    /** The host's fixed-name sums for role graphs, {@code custom.<prefix>_host.*} (containers' too when read). */
    HOST_SUMS("host-sums");

    /** {@code relay.mackerel.graphs}' default: see README's cost table for why per-container groups are off. */
    public static final String DEFAULT = "gostats,process,host-sums";

    /** The name in {@code relay.mackerel.graphs}. */
    public final String label;

    GraphGroup(String label) {
        this.label = label;
    }

    /** The groups named in a property's list; an unknown name is an IllegalArgumentException naming the known ones. */
    public static Set<GraphGroup> parse(List<String> names) {
        Set<GraphGroup> groups = EnumSet.noneOf(GraphGroup.class);
        for (String name : names) {
            String n = name.strip().toLowerCase(Locale.ROOT);
            if (n.isEmpty()) {
                continue;
            }
            groups.add(Stream.of(values()).filter(g -> g.label.equals(n)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown graph group '" + name.strip()
                            + "'; the groups are " + Stream.of(values()).map(g -> g.label)
                                    .collect(Collectors.joining(", ")))));
        }
        return groups;
    }

    /**
     * The graph definitions the relay posts for these groups; {@code containers}: whether container figures are read
     * at all (else no container graph is defined, not even the host's container sums).
     */
    public static List<GraphDefinition> definitions(String prefix, Set<GraphGroup> groups, boolean containers) {
        List<GraphDefinition> graphs = new ArrayList<>();
        if (groups.contains(GOSTATS)) {
            graphs.addAll(GraphSets.gostatsWildcard(prefix));
        }
        if (groups.contains(PROCESS)) {
            graphs.addAll(GraphSets.processWildcard(prefix));
        }
        if (groups.contains(HOST_SUMS)) {
            graphs.addAll(GraphSets.gostatsHostSums(prefix));
            if (containers) {
                graphs.addAll(GraphSets.containerHostSums(prefix));
            }
        }
        if (containers) {
            for (ContainerGraph g : ContainerGraph.values()) {
                if (groups.contains(of(g))) {
                    graphs.add(g.definition(prefix));
                }
            }
        }
        return List.copyOf(graphs);
    }

    /** The group a container graph's values belong to. */
    public static GraphGroup of(ContainerGraph graph) {
        return graph.plugin ? DOCKER : CONTAINER;
    }
}
