package io.gostats.relay.sink.mackerel.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.jboss.logging.Logger;

import io.github.resilience4j.core.IntervalFunction;
import io.gostats.relay.sink.mackerel.api.Host;
import io.gostats.relay.sink.mackerel.api.HostRegistration;
import io.gostats.relay.sink.mackerel.api.MackerelClient;
import io.gostats.relay.sink.mackerel.api.PostOutcome;
import io.gostats.relay.util.AtomicFiles;

/**
 * A host of the relay's own, for instances without a mackerel-agent ({@code relay.mackerel.register-host=true}).
 * Registered once: its id is kept in the state directory, and a host with the same customIdentifier is found again
 * (by the hosts list query, as mackerel-agent looks its host up) rather than registered twice. Hosts registered
 * through the API are billed as standard hosts.
 * <p>
 * While Mackerel cannot say, calls are spaced by an exponential backoff (20 s doubling to 10 min: a few calls a
 * minute at most), and creation is tried {@value #MAX_CREATE_ATTEMPTS} times at most, as mackerel-agent tries it 20
 * times; a 4xx answer to creation is final (mackerel-agent does not retry one either): the sink then reports down
 * with the property to fix until the relay restarts.
 */
public final class HostRegistrar {

    private static final Logger LOG = Logger.getLogger(HostRegistrar.class);
    static final String FILE = "host-id";
    static final int MAX_CREATE_ATTEMPTS = 20;
    private static final IntervalFunction BACKOFF = IntervalFunction.ofExponentialBackoff(Duration.ofSeconds(20), 2.0,
            Duration.ofMinutes(10));

    private final MackerelClient client;
    private final Path idFile;
    private final HostRegistration registration;
    private final Duration timeout;
    private final Clock clock;
    private Instant nextAttemptAt = Instant.MIN;
    private int failures;
    private int createFailures;
    private volatile String gaveUp;
    private volatile int registered;

    public HostRegistrar(MackerelClient client, Path stateDir, HostRegistration registration, Duration timeout) {
        this(client, stateDir, registration, timeout, Clock.systemUTC());
    }

    public HostRegistrar(MackerelClient client, Path stateDir, HostRegistration registration, Duration timeout,
            Clock clock) {
        this.client = client;
        this.idFile = stateDir.resolve(FILE);
        this.registration = registration;
        this.timeout = timeout;
        this.clock = clock;
    }

    /** The id kept from an earlier registration, if any. */
    public Optional<String> kept() {
        return HostIdSource.read(idFile);
    }

    /** Why no host can be had until the relay restarts (creation refused, or tried too often); else empty. */
    public Optional<String> gaveUp() {
        return Optional.ofNullable(gaveUp);
    }

    /** Hosts this relay registered since it started. */
    public int registered() {
        return registered;
    }

    /**
     * The host's id: kept, found by customIdentifier, or registered now. Empty while Mackerel cannot say (then no
     * call is made before the backoff has passed) or after giving up.
     */
    public synchronized Optional<String> obtain() {
        Optional<String> kept = kept();
        if (kept.isPresent()) {
            return kept;
        }
        if (gaveUp != null || clock.instant().isBefore(nextAttemptAt)) {
            return Optional.empty();
        }
        PostOutcome<Optional<Host>> found = client.findHostByCustomIdentifier(registration.customIdentifier())
                .await().atMost(timeout);
        Optional<String> id = Optional.empty();
        if (found instanceof PostOutcome.Ok<Optional<Host>> ok && ok.value().isPresent()) {
            id = Optional.of(ok.value().get().id());
            LOG.infof("found Mackerel host %s by customIdentifier %s", id.get(), registration.customIdentifier());
        } else if (found.isOk()) {
            id = create();
        } else {
            LOG.warnf("cannot look up the Mackerel host yet: %s", found);
        }
        id.ifPresentOrElse(this::keep, this::backOff);
        return id;
    }

    private Optional<String> create() {
        PostOutcome<String> made = client.registerHost(registration).await().atMost(timeout);
        if (made instanceof PostOutcome.Ok<String> ok) {
            registered++;
            LOG.infof("registered Mackerel host %s (%s, roles %s)", ok.value(), registration.customIdentifier(),
                    registration.roleFullnames());
            return Optional.of(ok.value());
        }
        createFailures++;
        if (made instanceof PostOutcome.Rejected<String> || made instanceof PostOutcome.Unauthorized<String>) {
            gaveUp = "relay.mackerel.custom-identifier/roles: Mackerel refused to register the host (" + made
                    + "); fix and restart";
        } else if (createFailures >= MAX_CREATE_ATTEMPTS) {
            gaveUp = "relay.mackerel.register-host: no host registered after " + createFailures + " attempts (last: "
                    + made + "); restart to try again";
        }
        if (gaveUp != null) {
            LOG.error(gaveUp);
        } else {
            LOG.warnf("cannot register a Mackerel host yet: %s", made);
        }
        return Optional.empty();
    }

    private void backOff() {
        failures++;
        nextAttemptAt = clock.instant().plusMillis(BACKOFF.apply(failures));
    }

    /** The kept id names a host Mackerel no longer has (retired): forget it; the next obtain finds or registers one. */
    public synchronized void forget(String id) {
        if (kept().filter(id::equals).isPresent()) {
            try {
                Files.deleteIfExists(idFile);
            } catch (IOException e) {
                LOG.warnf("cannot forget host %s in %s: %s", id, idFile, e.getMessage());
            }
        }
        failures = 0;
        nextAttemptAt = Instant.MIN;
    }
    /** Retires the host this relay registered, and forgets it. */
    public void retire() {
        retire(timeout);
    }

    /** The same within {@code within} (a share of the shutdown budget): not retired when Mackerel takes longer. */
    public void retire(Duration within) {
        Optional<String> id = kept();
        if (id.isEmpty()) {
            return;
        }
        PostOutcome<Void> o;
        try {
            o = client.retireHost(id.get()).await().atMost(within.isZero() ? Duration.ofMillis(1) : within);
        } catch (io.smallrye.mutiny.TimeoutException e) {
            LOG.warnf("Mackerel host %s not retired: no answer within %d ms of the shutdown budget", id.get(),
                    within.toMillis());
            return;
        }
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
        failures = 0;
        try {
            AtomicFiles.writeString(idFile, id + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the host id in " + idFile, e);
        }
    }
}
