package io.gostats.relay.model;

import java.util.Optional;

/**
 * One endpoint to fetch. {@code id} is stable for the life of the task (container id and container port),
 * so that per-target state survives across cycles even though the host port is dynamic. {@code format}: the format
 * its replies are read as; empty: each reply tells (Content-Type, then the body). {@code expvar}: where an expvar
 * reply's published figures are.
 */
public record Target(String id, String host, int port, String path, int containerPort, TaskIdentity identity,
        Optional<SourceFormat> format, ExpvarKeys expvar) {

    /** A target whose replies tell their format, with the common expvar names. */
    public Target(String id, String host, int port, String path, int containerPort, TaskIdentity identity) {
        this(id, host, port, path, containerPort, identity, Optional.empty(), ExpvarKeys.COMMON);
    }

    /** {@code host:port}, IPv6 hosts in brackets. */
    public String address() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    public String url() {
        return "http://" + address() + path;
    }

    /** The configured format, as in labels and configuration ({@code auto} when the replies tell). */
    public String formatChoice() {
        return format.map(SourceFormat::label).orElse(SourceFormat.AUTO);
    }
}
