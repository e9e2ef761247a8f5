package io.gostats.relay.model;

/**
 * One /stats endpoint to fetch. {@code id} is stable for the life of the task (container id and container port),
 * so that per-target state survives across cycles even though the host port is dynamic.
 */
public record Target(String id, String host, int port, String path, int containerPort, TaskIdentity identity) {

    /** {@code host:port}, IPv6 hosts in brackets. */
    public String address() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    public String url() {
        return "http://" + address() + path;
    }
}
