package io.gostats.relay.sink.mackerel.host;

import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;

import io.gostats.relay.instance.InstanceId;

/**
 * The customIdentifier of a host of the relay's own: {@code relay.mackerel.custom-identifier}, else on EC2
 * {@code <instance-id>.ec2.amazonaws.com}, the identifier mackerel-agent suggests for an EC2 instance (its
 * {@code spec/cloud.go}, {@code SuggestCustomIdentifier}) and the one the hosts of mackerel-agent and of the AWS
 * integration merge on: the relay then posts to the instance's one host rather than a second, separately billed one.
 * Off EC2 with no property there is none: the sink waits (down, naming the property) and keeps its points.
 */
public final class HostIdentifier {

    private static final Logger LOG = Logger.getLogger(HostIdentifier.class);
    static final String EC2_SUFFIX = ".ec2.amazonaws.com";
    private static final Pattern BARE_INSTANCE_ID = Pattern.compile("i-[0-9a-f]{8,17}");

    private final Optional<String> configured;
    private final Supplier<InstanceId> instance;
    private boolean saidUnavailable;

    /** {@code instance}: the relay's instance identity, asked only when nothing is configured. */
    public HostIdentifier(Optional<String> configured, Supplier<InstanceId> instance) {
        this.configured = configured.map(String::strip).filter(s -> !s.isEmpty());
        this.instance = instance;
        this.configured.filter(HostIdentifier::isBareInstanceId).ifPresent(id -> LOG.warnf(
                "relay.mackerel.custom-identifier %s is a bare EC2 instance id: mackerel-agent and the AWS integration"
                        + " know this instance as %s, so the relay's host is a second host, billed separately as a"
                        + " standard host. Unset the property to use %s (README: upgrading)", id, ec2(id), ec2(id)));
    }

    /** Always this identifier. */
    public static HostIdentifier of(String customIdentifier) {
        return new HostIdentifier(Optional.of(customIdentifier), () -> new InstanceId.Unavailable("not asked"));
    }

    /** The identifier now; empty while the instance id is not known yet, or off EC2 with none configured. */
    public synchronized Optional<String> current() {
        if (configured.isPresent()) {
            return configured;
        }
        InstanceId id = instance.get();
        if (id instanceof InstanceId.Unavailable u && !saidUnavailable) {
            saidUnavailable = true;
            LOG.warnf("%s; Mackerel points stay queued", missing(u));
        }
        return id.instanceId().map(HostIdentifier::ec2);
    }

    /** While {@link #current()} is empty: why, naming the property. */
    public String missing() {
        return missing(instance.get());
    }

    private static String missing(InstanceId id) {
        if (id instanceof InstanceId.Unavailable u) {
            return "relay.mackerel.custom-identifier: not set, and not on EC2 (" + u.reason() + "): set it to"
                    + " register the relay's host";
        }
        return "relay.mackerel.custom-identifier: not set; waiting for the EC2 instance id (<instance-id>"
                + EC2_SUFFIX + ")";
    }

    /** mackerel-agent's customIdentifier of an EC2 instance. */
    static String ec2(String instanceId) {
        return instanceId + EC2_SUFFIX;
    }

    /** {@code i-0123456789abcdef0}: an instance id with no suffix, as this README once suggested. */
    static boolean isBareInstanceId(String identifier) {
        return BARE_INSTANCE_ID.matcher(identifier).matches();
    }
}
