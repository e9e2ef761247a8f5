package io.gostats.relay.sink.mackerel.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import org.jboss.logging.Logger;

import io.gostats.relay.sink.mackerel.api.Host;
import io.gostats.relay.sink.mackerel.api.MackerelClient;
import io.gostats.relay.sink.mackerel.api.PostOutcome;

/**
 * The Mackerel host the metrics belong to: the configured id, else the id file a mackerel-agent on the same
 * instance writes, else (with a registrar) a host of the relay's own. At boot the relay may start before the agent:
 * until the file appears this answers empty (the sink keeps its points queued meanwhile) and says so once.
 * <p>
 * The file is read again whenever it changes (the agent re-registered: a reinstall, a deleted id file,
 * AUTO_RETIREMENT), and an id Mackerel no longer knows ({@link #rejected}: retired, or {@code /tsdb} answered 404)
 * is not used again: the source waits for the file to name another host, or has the registrar find or register
 * one. A configured id that is rejected stays unusable: the property must change.
 */
public final class HostIdSource {

    private static final Logger LOG = Logger.getLogger(HostIdSource.class);

    private final Optional<String> configured;
    private final Path idFile;
    private final Optional<HostRegistrar> registrar;
    private final MackerelClient client;
    private final Duration timeout;
    private String fileId;
    private FileTime fileStamp;
    private volatile String known;
    private volatile String rejected;
    private boolean saidWaiting;

    public HostIdSource(Optional<String> configured, Path idFile) {
        this(configured, idFile, Optional.empty());
    }

    /** With a registrar, a host of the relay's own stands in when no agent has written the id file. */
    public HostIdSource(Optional<String> configured, Path idFile, Optional<HostRegistrar> registrar) {
        this(configured, idFile, registrar, null, Duration.ZERO);
    }

    /** With a client, {@link #check()} asks Mackerel whether the id is a live host. */
    public HostIdSource(Optional<String> configured, Path idFile, Optional<HostRegistrar> registrar,
            MackerelClient client, Duration timeout) {
        this.configured = configured.map(String::strip).filter(s -> !s.isEmpty());
        this.idFile = idFile;
        this.registrar = registrar;
        this.client = client;
        this.timeout = timeout;
    }

    /** The host to post to now; empty while none is known (or every known one was rejected). */
    public synchronized Optional<String> current() {
        String id = configured.orElseGet(this::fromFileOrRegistrar);
        id = id == null || id.equals(rejected) ? null : id;
        if (!Objects.equals(id, known)) {
            if (id != null) {
                LOG.infof("Mackerel host id %s%s", id, known == null ? "" : " (was " + known + ")");
            }
            known = id;
        }
        return Optional.ofNullable(id);
    }

    private String fromFileOrRegistrar() {
        readFileIfChanged();
        if (fileId != null && !fileId.equals(rejected)) {
            return fileId;
        }
        if (fileId == null && registrar.isPresent()) {
            return registrar.get().obtain().orElse(null);
        }
        if (fileId == null && !saidWaiting) {
            saidWaiting = true;
            LOG.warnf("no Mackerel host id yet: %s does not exist (is mackerel-agent running on this instance?);"
                    + " queueing points until it does. Or set relay.mackerel.host-id, or"
                    + " relay.mackerel.register-host=true", idFile);
        }
        return null;
    }

    private void readFileIfChanged() {
        FileTime stamp;
        try {
            stamp = Files.getLastModifiedTime(idFile);
        } catch (IOException gone) {
            stamp = null;
        }
        if (!Objects.equals(stamp, fileStamp)) {
            fileStamp = stamp;
            String before = fileId;
            fileId = stamp == null ? null : read(idFile).orElse(null);
            if (fileId != null && !fileId.equals(before)) {
                LOG.infof("Mackerel host id %s read from %s", fileId, idFile);
            }
        }
    }

    /**
     * Mackerel does not know {@code id} as a live host (retired, or {@code /tsdb} answered 404): no value goes to it
     * again. A host the relay registered is forgotten, so that another is found or registered.
     */
    public synchronized void rejected(String id) {
        if (id.equals(rejected)) {
            return;
        }
        rejected = id;
        known = null;
        LOG.warnf("Mackerel host %s is retired or unknown: %s; points stay queued until %s", id,
                configured.isPresent() ? "relay.mackerel.host-id must name a live host"
                        : "another host id is known", configured.isPresent() ? "it does" : "then");
        registrar.ifPresent(r -> r.forget(id));
    }

    /** At start, as mackerel-agent checks its id: asks Mackerel about the current id; rejected when retired, gone. */
    public void check() {
        Optional<String> id = current();
        if (id.isEmpty() || client == null) {
            return;
        }
        PostOutcome<Optional<Host>> o = client.getHost(id.get()).await().atMost(timeout.plusSeconds(5));
        if (o instanceof PostOutcome.Ok<Optional<Host>> ok && ok.value().map(h -> !h.retired()).orElse(false)) {
            registrar.filter(r -> r.kept().equals(id)).ifPresent(r -> r.addMissingRoles(ok.value().get()));
            return;
        }
        if (o.isOk()) {
            rejected(id.get());
            current();
        } else {
            LOG.infof("cannot check Mackerel host %s now (%s); using it", id.get(), o);
        }
    }

    /** The id known now, without reading a file or calling Mackerel. */
    public Optional<String> known() {
        return Optional.ofNullable(known);
    }

    /** While no id is known: what to fix, naming the property. */
    public String missing() {
        if (configured.isPresent()) {
            return "relay.mackerel.host-id " + configured.get() + " is retired or unknown to Mackerel";
        }
        if (registrar.isPresent() && registrar.get().gaveUp().isPresent()) {
            return registrar.get().gaveUp().get();
        }
        if (registrar.isPresent() && registrar.get().noIdentifier().isPresent()) {
            return registrar.get().noIdentifier().get();
        }
        if (rejected != null && fileId != null && fileId.equals(rejected)) {
            return "relay.mackerel.host-id-file " + idFile + " names retired host " + rejected
                    + " (waiting for mackerel-agent to register again)";
        }
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
