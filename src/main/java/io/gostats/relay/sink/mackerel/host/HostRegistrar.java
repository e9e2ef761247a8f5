package io.gostats.relay.sink.mackerel.host;

import io.gostats.relay.sink.mackerel.api.Host;
import io.gostats.relay.sink.mackerel.api.HostRegistration;
import io.gostats.relay.sink.mackerel.api.MackerelClient;
import io.gostats.relay.sink.mackerel.api.PostOutcome;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;

import org.jboss.logging.Logger;
import io.gostats.relay.util.AtomicFiles;

/**
 * A host of the relay's own, for instances without a mackerel-agent ({@code relay.mackerel.register-host=true}).
 * Registered once: its id is kept in the state directory, and a host with the same customIdentifier is found again
 * rather than registered twice. Hosts registered through the API are billed as standard hosts.
 */
public final class HostRegistrar {

    private static final Logger LOG = Logger.getLogger(HostRegistrar.class);
    static final String FILE = "host-id";

    private final MackerelClient client;
    private final Path idFile;
    private final HostRegistration registration;
    private final Duration timeout;

    public HostRegistrar(MackerelClient client, Path stateDir, HostRegistration registration, Duration timeout) {
        this.client = client;
        this.idFile = stateDir.resolve(FILE);
        this.registration = registration;
        this.timeout = timeout;
    }

    /** The id kept from an earlier registration, if any. */
    public Optional<String> kept() {
        return HostIdSource.read(idFile);
    }

    /** The host's id: kept, found by customIdentifier, or registered now. Empty while Mackerel cannot say. */
    public Optional<String> obtain() {
        Optional<String> kept = kept();
        if (kept.isPresent()) {
            return kept;
        }
        PostOutcome<Optional<Host>> found = client.findHostByCustomIdentifier(registration.customIdentifier())
                .await().atMost(timeout);
        Optional<String> id = Optional.empty();
        if (found instanceof PostOutcome.Ok<Optional<Host>> ok && ok.value().isPresent()) {
            id = Optional.of(ok.value().get().id());
            LOG.infof("found Mackerel host %s by customIdentifier %s", id.get(), registration.customIdentifier());
        } else if (found.isOk()) {
            PostOutcome<String> made = client.registerHost(registration).await().atMost(timeout);
            if (made instanceof PostOutcome.Ok<String> ok) {
                id = Optional.of(ok.value());
                LOG.infof("registered Mackerel host %s (%s, roles %s)", id.get(), registration.customIdentifier(),
                        registration.roleFullnames());
            } else {
                LOG.warnf("cannot register a Mackerel host yet: %s", made);
            }
        } else {
            LOG.warnf("cannot look up the Mackerel host yet: %s", found);
        }
        id.ifPresent(this::keep);
        return id;
    }

    /** Retires the host this relay registered, and forgets it. */
    public void retire() {
        Optional<String> id = kept();
        if (id.isEmpty()) {
            return;
        }
        PostOutcome<Void> o = client.retireHost(id.get()).await().atMost(timeout);
        if (o.isOk()) {
            LOG.infof("retired Mackerel host %s", id.get());
            try {
                Files.deleteIfExists(idFile);
            } catch (IOException e) {
                LOG.warnf("retired host %s, but cannot remove %s: %s", id.get(), idFile, e.getMessage());
            }
        } else {
            LOG.warnf("cannot retire Mackerel host %s: %s", id.get(), o);
        }
    }

    private void keep(String id) {
        try {
            AtomicFiles.writeString(idFile, id + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the host id in " + idFile, e);
        }
    }
}
