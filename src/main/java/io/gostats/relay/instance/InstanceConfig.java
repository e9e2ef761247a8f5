package io.gostats.relay.instance;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The instance identity's properties, under {@code relay.instance.}: how the EC2 instance id is looked up. */
@ConfigMapping(prefix = "relay.instance")
public interface InstanceConfig {

    Imds imds();

    interface Imds {
        /** Ask the EC2 instance metadata service for the instance id; off: the relay is never taken for EC2. */
        @WithDefault("true")
        boolean enabled();

        /** The metadata service's base URL; a test points it at a stand-in on loopback. */
        @WithDefault("http://169.254.169.254")
        String url();

        /** Bound of each call, connect to last byte, as the AWS SDKs' 1 s. */
        @WithDefault("1s")
        Duration timeout();

        /** Tries of the whole lookup (token, then id) before the relay takes itself as not on EC2. */
        @WithDefault("3")
        int attempts();
    }
}
