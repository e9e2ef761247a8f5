package io.gostats.relay.sink.otlp;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The host the relay runs on: {@code host.id} (the EC2 instance id where known) and {@code host.name}. Until the
 * relay has an instance-identity component of its own, both are the host name ({@link #local()}); switching is one
 * implementation of this interface.
 */
interface HostIdentity {

    String hostId();

    String hostName();

    /** The OS host name, looked up once (on the sink's lane, never in a constructor). */
    static HostIdentity local() {
        String name;
        try {
            name = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            name = System.getenv().getOrDefault("HOSTNAME", "localhost");
        }
        String host = name;
        return new HostIdentity() {
            @Override
            public String hostId() {
                return host;
            }

            @Override
            public String hostName() {
                return host;
            }
        };
    }
}
