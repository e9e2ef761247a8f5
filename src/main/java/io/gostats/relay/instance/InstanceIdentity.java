package io.gostats.relay.instance;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.gostats.relay.config.ConfigProperty;
import io.vertx.core.Vertx;

/**
 * The instance the relay runs on, the relay's and not one sink's: the EC2 instance id (the Mackerel sink's
 * customIdentifier, the OTLP sink's {@code host.id}) and the host name. The id is looked up once, when a sink first
 * needs it ({@link #lookUp()}), without blocking anyone: the calls run on Vert.x's event loop and consumers read
 * {@link #current()}, {@link InstanceId.Pending} meanwhile. Off EC2 the lookup fails within a few seconds and says so
 * once; a process never moves to another instance, so the answer is kept for its life.
 */
@ApplicationScoped
public class InstanceIdentity {

    private static final Logger LOG = Logger.getLogger(InstanceIdentity.class);
    /** What {@link #current()} says when {@code relay.instance.imds.enabled=false}. */
    public static final String OFF = "relay.instance.imds.enabled=false: the EC2 instance id is not looked up";

    private final Optional<Imds> imds;
    private final boolean enabled;
    private final AtomicReference<InstanceId> state;
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile String hostName;

    @Inject
    public InstanceIdentity(InstanceConfig config, Vertx vertx) {
        this(imds(config.imds(), vertx));
    }

    /** With {@code imds} empty the relay never takes itself for EC2. */
    public InstanceIdentity(Optional<Imds> imds) {
        this(imds, imds.isPresent() ? new InstanceId.Pending() : new InstanceId.Unavailable(OFF), imds.isPresent());
    }

    private InstanceIdentity(Optional<Imds> imds, InstanceId initial, boolean enabled) {
        this.imds = imds;
        this.enabled = enabled;
        this.state = new AtomicReference<>(initial);
    }

    /** An identity that knows its answer already (a lookup that answered {@code id}), for tests. */
    public static InstanceIdentity of(InstanceId id, String hostName) {
        InstanceIdentity identity = new InstanceIdentity(Optional.empty(), id, true);
        identity.hostName = hostName;
        return identity;
    }

    private static Optional<Imds> imds(InstanceConfig.Imds c, Vertx vertx) {
        if (!c.enabled()) {
            return Optional.empty();
        }
        URI url = ConfigProperty.parse("relay.instance.imds.url", () -> URI.create(c.url()));
        if (!"http".equals(url.getScheme()) || url.getHost() == null) {
            throw new IllegalArgumentException("relay.instance.imds.url: '" + c.url() + "' is not an http URL");
        }
        ConfigProperty.positive("relay.instance.imds.timeout", c.timeout());
        ConfigProperty.atLeast("relay.instance.imds.attempts", c.attempts(), 1);
        return Optional.of(new Imds(vertx, url, c.timeout(), c.attempts()));
    }

    /** Whether the metadata service is asked at all ({@code relay.instance.imds.enabled}). */
    public boolean lookupEnabled() {
        return enabled;
    }

    /** Starts the lookup, once; returns at once. */
    public void lookUp() {
        if (imds.isEmpty() || !started.compareAndSet(false, true)) {
            return;
        }
        imds.get().instanceId().subscribe().with(id -> {
            state.set(new InstanceId.Known(id));
            LOG.infof("EC2 instance id %s (from the instance metadata service)", id);
        }, failure -> {
            String reason = "no EC2 instance id from the instance metadata service (" + Imds.describe(failure)
                    + ")";
            state.set(new InstanceId.Unavailable(reason));
            LOG.infof("%s; taking this host for one outside EC2 (relay.instance.imds.enabled=false skips the lookup)",
                    reason);
        });
    }

    /** What is known now; starts the lookup if nothing has yet. */
    public InstanceId current() {
        lookUp();
        return state.get();
    }

    /** {@code host.id}: the EC2 instance id where known, else the host name. */
    public String hostId() {
        return current().instanceId().orElseGet(this::hostName);
    }

    /** The OS host name, looked up once. */
    public String hostName() {
        String name = hostName;
        if (name == null) {
            try {
                name = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                name = System.getenv().getOrDefault("HOSTNAME", "localhost");
            }
            hostName = name;
        }
        return name;
    }

    @PreDestroy
    void close() {
        imds.ifPresent(Imds::close);
    }
}
