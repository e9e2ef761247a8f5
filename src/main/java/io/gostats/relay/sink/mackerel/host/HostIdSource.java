package io.gostats.relay.sink.mackerel.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.jboss.logging.Logger;

/**
 * The Mackerel host the metrics belong to: the configured id, else the id file a mackerel-agent on the same
 * instance writes. At boot the relay may start before the agent: until the file appears this answers empty (the
 * sink keeps its points queued meanwhile) and says so once.
 */
public final class HostIdSource {

    private static final Logger LOG = Logger.getLogger(HostIdSource.class);

    private final Optional<String> configured;
    private final Path idFile;
    private final Optional<HostRegistrar> registrar;
    private volatile String known;
    private volatile boolean saidWaiting;

    public HostIdSource(Optional<String> configured, Path idFile) {
        this(configured, idFile, Optional.empty());
    }

    /** With a registrar, a host of the relay's own stands in when no agent has written the id file. */
    public HostIdSource(Optional<String> configured, Path idFile, Optional<HostRegistrar> registrar) {
        this.configured = configured.map(String::strip).filter(s -> !s.isEmpty());
        this.idFile = idFile;
        this.registrar = registrar;
    }

    public Optional<String> current() {
        if (configured.isPresent()) {
            return configured;
        }
        if (known == null) {
            known = read(idFile).orElse(null);
            if (known != null) {
                LOG.infof("Mackerel host id %s read from %s", known, idFile);
            } else if (registrar.isPresent()) {
                known = registrar.get().obtain().orElse(null);
            } else if (!saidWaiting) {
                saidWaiting = true;
                LOG.warnf("no Mackerel host id yet: %s does not exist (is mackerel-agent running on this instance?);"
                        + " queueing points until it does. Or set relay.mackerel.host-id, or"
                        + " relay.mackerel.register-host=true", idFile);
            }
        }
        return Optional.ofNullable(known);
    }

    /** The id known now, without reading a file or calling Mackerel. */
    public Optional<String> known() {
        return configured.isPresent() ? configured : Optional.ofNullable(known);
    }

    /** While no id is known: what to fix, naming the property. */
    public String missing() {
        return registrar.isPresent() ? "relay.mackerel.register-host: the relay's host is not registered yet"
                : "relay.mackerel.host-id-file " + idFile + " does not exist (or set relay.mackerel.host-id)";
    }

    static Optional<String> read(Path file) {
        try {
            String id = Files.readString(file, StandardCharsets.US_ASCII).strip();
            return id.matches("[A-Za-z0-9]+") ? Optional.of(id) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
