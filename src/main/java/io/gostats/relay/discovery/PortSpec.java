package io.gostats.relay.discovery;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** A container port as written in configuration and labels: {@code 8080}, {@code 8080/tcp}, or a comma list of them. */
public final class PortSpec {

    private PortSpec() {
    }

    /** Parses one port; only tcp makes sense for HTTP. */
    public static int parse(String spec) {
        String s = spec.trim();
        int slash = s.indexOf('/');
        if (slash >= 0) {
            String proto = s.substring(slash + 1);
            if (!proto.equalsIgnoreCase("tcp")) {
                throw new IllegalArgumentException("'" + spec + "' is not a tcp port");
            }
            s = s.substring(0, slash);
        }
        int port;
        try {
            port = Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + spec + "' is not a port number");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("'" + spec + "' is outside 1-65535");
        }
        return port;
    }

    /** Parses a comma-separated list, keeping order and dropping repeats. */
    public static List<Integer> parseList(String specs) {
        Set<Integer> ports = new LinkedHashSet<>();
        for (String part : specs.split(",")) {
            if (!part.isBlank()) {
                ports.add(parse(part));
            }
        }
        if (ports.isEmpty()) {
            throw new IllegalArgumentException("'" + specs + "' names no port");
        }
        return new ArrayList<>(ports);
    }
}
