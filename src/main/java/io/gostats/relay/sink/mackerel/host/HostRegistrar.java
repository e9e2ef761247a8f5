package io.gostats.relay.sink.mackerel.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jboss.logging.Logger;

import io.github.resilience4j.core.IntervalFunction;
import io.gostats.relay.config.RelayVersion;
import io.gostats.relay.sink.mackerel.api.Host;
import io.gostats.relay.sink.mackerel.api.HostRegistration;
import io.gostats.relay.sink.mackerel.api.MackerelClient;
import io.gostats.relay.sink.mackerel.api.PostOutcome;
import io.gostats.relay.util.AtomicFiles;

/**
 * A host of the relay's own, for instances without a mackerel-agent ({@code relay.mackerel.register-host=true}).
 * Registered once, under its {@link HostIdentifier} (nothing is asked of Mackerel while there is none): its id is
 * kept in the state directory, and a host with the same customIdentifier is found again (by the hosts list query, as
 * mackerel-agent looks its host up) rather than registered twice. Hosts registered through the API are billed as
 * standard hosts.
 * <p>
 * A host the relay registered carries {@code meta.agent-name} {@code gostats-relay/<version>}, as mackerel-agent
 * names itself there: only such a host is kept in the state directory, retired by {@code auto-retire} and gets the
 * missing roles of {@code relay.mackerel.roles} added (never one removed) when it is found again or checked at start.
 * The host of a mackerel-agent or of the AWS integration, found by the same EC2 identifier, is posted to but never
 * changed, and its id is held in memory only (looked up again at the next start).
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
    static final String AGENT_NAME_PREFIX = "gostats-relay";

    private final HostIdentifier identifier;
    private final List<String> roles;
    private final Duration timeout;
    private final Clock clock;
    private Instant nextAttemptAt = Instant.MIN;
    private int failures;
    private int createFailures;
    private volatile String gaveUp;
    /** A host found by the identifier that another client registered: posted to, never kept, changed or retired. */
    private volatile String foreign;
    private volatile int registered;

    public HostRegistrar(MackerelClient client, Path stateDir, HostIdentifier identifier, List<String> roles,
            Duration timeout) {
        this(client, stateDir, identifier, roles, timeout, Clock.systemUTC());
    }

    /** {@code roles}: {@code Service:role} of {@code relay.mackerel.roles}. */
    public HostRegistrar(MackerelClient client, Path stateDir, HostIdentifier identifier, List<String> roles,
            Duration timeout, Clock clock) {
        this.client = client;
        this.idFile = stateDir.resolve(FILE);
        this.identifier = identifier;
        this.roles = List.copyOf(roles);
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

    /** While no host is kept and no customIdentifier is known: why, naming the property; else empty. */
    public Optional<String> noIdentifier() {
        return kept().isEmpty() && identifier.current().isEmpty() ? Optional.of(identifier.missing())
                : Optional.empty();
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
        if (kept.isPresent() || foreign != null) {
            return kept.isPresent() ? kept : Optional.of(foreign);
        }
        Optional<String> customIdentifier = identifier.current();
        if (customIdentifier.isEmpty() || gaveUp != null || clock.instant().isBefore(nextAttemptAt)) {
            return Optional.empty();
        }
        HostRegistration registration = HostRegistration.of(customIdentifier.get(), customIdentifier.get(), roles,
                RelayVersion.userAgent());
        PostOutcome<Optional<Host>> found = client.findHostByCustomIdentifier(registration.customIdentifier())
                .await().atMost(timeout);
        Optional<String> id = Optional.empty();
        if (found instanceof PostOutcome.Ok<Optional<Host>> ok && ok.value().isPresent()) {
            Host host = ok.value().get();
            LOG.infof("found Mackerel host %s by customIdentifier %s%s", host.id(), registration.customIdentifier(),
                    ours(host) ? "" : " (registered by " + (host.agentName().isEmpty() ? "another client"
                            : host.agentName()) + ": posted to, never changed or retired)");
            if (!ours(host)) {
                failures = 0;
                foreign = host.id();
                return Optional.of(host.id());
            }
            id = Optional.of(host.id());
            addMissingRoles(host);
        } else if (found.isOk()) {
            id = create(registration);
        } else {
            LOG.warnf("cannot look up the Mackerel host yet: %s", found);
        }
        id.ifPresentOrElse(this::keep, this::backOff);
        return id;
    }

    /** Whether the relay registered this host: its {@code meta.agent-name} is the relay's. */
    static boolean ours(Host host) {
        return host.agentName().startsWith(AGENT_NAME_PREFIX + "/");
    }

    /**
     * A host of the relay's own (see {@link #ours}) gets the roles of {@code relay.mackerel.roles} it lacks; the roles
     * it has stay (someone added them in the web UI, say). Any other host is left as it is.
     */
    public void addMissingRoles(Host host) {
        if (!ours(host) || roles.isEmpty()) {
            return;
        }
        List<String> has = host.roleFullnames();
        List<String> missing = roles.stream().filter(r -> !has.contains(r)).toList();
        if (missing.isEmpty()) {
            return;
        }
        List<String> all = new ArrayList<>(has);
        all.addAll(missing);
        PostOutcome<Void> o = client.putRoleFullnames(host.id(), all).await().atMost(timeout);
        if (o.isOk()) {
            LOG.infof("Mackerel host %s: roles %s added (relay.mackerel.roles)", host.id(), missing);
        } else {
            LOG.warnf("cannot add roles %s to Mackerel host %s: %s", missing, host.id(), o);
        }
    }

    private Optional<String> create(HostRegistration registration) {
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

    /**
     * {@code id} names a host Mackerel no longer has (retired): if it is this registrar's (kept, or another client's
     * found by the identifier), forget it; the next obtain finds or registers one.
     */
    public synchronized void forget(String id) {
        boolean mine = id.equals(foreign);
        foreign = mine ? null : foreign;
        if (kept().filter(id::equals).isPresent()) {
            mine = true;
            try {
                Files.deleteIfExists(idFile);
            } catch (IOException e) {
                LOG.warnf("cannot forget host %s in %s: %s", id, idFile, e.getMessage());
            }
        }
        if (mine) {
            failures = 0;
            nextAttemptAt = Instant.MIN;
        }
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
