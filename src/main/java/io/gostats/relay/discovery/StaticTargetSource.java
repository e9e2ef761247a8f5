package io.gostats.relay.discovery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.gostats.relay.model.ExpvarKeys;
import io.gostats.relay.model.SourceFormat;
import io.gostats.relay.model.Target;
import io.gostats.relay.model.TaskIdentity;
import io.gostats.relay.model.SourceStatus;

/**
 * Targets written in configuration: {@code host:port[/path]}, for hosts without Docker and for trying the relay. The
 * path chooses the endpoint ({@code /stats}, {@code /metrics}, {@code /debug/vars}); the format is the configured one.
 */
public final class StaticTargetSource implements TargetSource {

    private static final Pattern SPEC = Pattern.compile("(\\[[0-9a-fA-F:.]+]|[^:/\\[\\]\\s]+):(\\d{1,5})(/\\S*)?");

    private final List<Target> targets;
    private final SourceStatus status;

    public StaticTargetSource(List<String> specs, String defaultPath) {
        this(specs, defaultPath, Optional.empty());
    }

    /** @param format the format every static target is read as ({@code relay.collect.format}; empty: auto) */
    public StaticTargetSource(List<String> specs, String defaultPath, Optional<SourceFormat> format) {
        List<Target> ts = new ArrayList<>();
        for (String spec : specs) {
            Target p = parse(spec.trim(), defaultPath);
            Target t = new Target(p.id(), p.host(), p.port(), p.path(), p.containerPort(), p.identity(), format,
                    ExpvarKeys.COMMON);
            if (ts.stream().anyMatch(other -> other.address().equals(t.address()))) {
                // the series of both would carry the same labels
                throw new IllegalArgumentException("'" + spec + "': " + t.address() + " is listed twice");
            }
            ts.add(t);
        }
        this.targets = List.copyOf(ts);
        this.status = new SourceStatus("static", true, Instant.now(), "");
    }

    static Target parse(String spec, String defaultPath) {
        Matcher m = SPEC.matcher(spec);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + spec + "' is not host:port[/path]");
        }
        String host = m.group(1).startsWith("[") ? m.group(1).substring(1, m.group(1).length() - 1) : m.group(1);
        int port;
        try {
            port = PortSpec.parse(m.group(2));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + spec + "': port " + e.getMessage());
        }
        String path = m.group(3) == null ? defaultPath : m.group(3);
        String id = "static:" + host + ":" + port + path;
        return new Target(id, host, port, path, port, TaskIdentity.NONE);
    }

    @Override
    public List<Target> discover() {
        return targets;
    }

    @Override
    public List<Target> known() {
        return targets;
    }

    @Override
    public SourceStatus status() {
        return status;
    }
}
